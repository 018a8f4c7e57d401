import type { IntegrationEvent } from '@reflux/contracts';
import type { NewEvent, RecordedEvent } from '../event-store.types';

/** Category of the integration-event streams of the PostgreSQL bus. */
export const INTEGRATION_CATEGORY = 'integration-';

/** Stream of an integration event in the event log: `<category><subject>`, so per-subject order holds. */
export function integrationStreamId(category: string, event: Pick<IntegrationEvent, 'subject'>): string {
  return `${category}${event.subject}`;
}

/** The envelope as an event-store event: same id (an appended retry is a no-op), envelope fields in metadata. */
export function toStoredEvent(event: IntegrationEvent, topic: string): NewEvent {
  return {
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: {
      topic,
      source: event.source,
      subject: event.subject,
      occurredAt: event.occurredAt,
      correlationId: event.correlationId,
      ...(event.causationId !== undefined && { causationId: event.causationId }),
      ...(event.traceparent !== undefined && { traceparent: event.traceparent }),
      ...(event.tracestate !== undefined && { tracestate: event.tracestate }),
    },
  };
}

/** Rebuilds the envelope (unvalidated: the registry checks it) from a recorded event. */
export function fromStoredEvent(recorded: RecordedEvent): Record<string, unknown> {
  const { topic: _topic, ...metadata } = recorded.metadata as Record<string, unknown>;
  return {
    eventId: recorded.eventId,
    type: recorded.type,
    schemaVersion: recorded.schemaVersion,
    ...pick(metadata, ['source', 'subject', 'occurredAt', 'correlationId', 'causationId', 'traceparent', 'tracestate']),
    data: recorded.data,
  };
}

export function storedTopic(recorded: RecordedEvent): string | undefined {
  const topic = recorded.metadata['topic'];
  return typeof topic === 'string' ? topic : undefined;
}

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
