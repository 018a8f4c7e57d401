/**
 * Kafka topics (and, for the PostgreSQL bus, logical topic names) of Reflux's integration events.
 * One topic per publishing bounded context; the message key is the subject (the source stream id),
 * so all events of one stream stay in order. Dead letters go to `<topic>.dlq`.
 */
export const TOPICS = {
  ingestion: 'reflux.ingestion.events.v1',
  plantModel: 'reflux.plant-model.events.v1',
  balancing: 'reflux.balancing.events.v1',
  safety: 'reflux.safety.events.v1',
  scheduling: 'reflux.scheduling.events.v1',
  supplyChain: 'reflux.supply-chain.events.v1',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** Name of the dead-letter topic of a topic. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}
