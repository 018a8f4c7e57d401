import type { Admin, ITopicConfig, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { MESSAGING_ERROR_CODES, MessagingError } from '../messaging.error';

/**
 * How the bus creates its topics. Topics (dead-letter topics included) are created explicitly
 * through the admin client before first use, with these settings, instead of by the broker's
 * auto-create with broker defaults (a single partition, a replication factor of 1 on many brokers).
 */
export interface KafkaTopicSettings {
  /** Create missing topics before publishing or subscribing. Default true; false leaves it to the operator. */
  readonly create?: boolean;
  /** Partitions of a new event topic (KAFKA_TOPIC_PARTITIONS). Default 6. */
  readonly numPartitions?: number;
  /** Replication factor of new topics (KAFKA_TOPIC_REPLICATION_FACTOR). Default 3; -1: the broker's default. */
  readonly replicationFactor?: number;
  /** retention.ms of event topics (KAFKA_TOPIC_RETENTION_MS). Default 7 days. */
  readonly retentionMs?: number;
  /** retention.ms of `<topic>.dlq` topics (KAFKA_DLQ_RETENTION_MS). Default 30 days; they have one partition. */
  readonly deadLetterRetentionMs?: number;
}

export const DEFAULT_TOPIC_SETTINGS: Required<KafkaTopicSettings> = {
  create: true,
  numPartitions: 6,
  replicationFactor: 3,
  retentionMs: 7 * 86_400_000,
  deadLetterRetentionMs: 30 * 86_400_000,
};

/** The admin request for one topic: `.dlq` topics get one partition and the dead-letter retention. */
export function topicSpec(topic: string, settings: Required<KafkaTopicSettings>): ITopicConfig {
  const deadLetter = topic.endsWith('.dlq');
  return {
    topic,
    numPartitions: deadLetter ? 1 : settings.numPartitions,
    replicationFactor: settings.replicationFactor,
    configEntries: [
      { name: 'retention.ms', value: String(deadLetter ? settings.deadLetterRetentionMs : settings.retentionMs) },
      { name: 'cleanup.policy', value: 'delete' },
    ],
  };
}

/** Creates each topic once per process (idempotent: an existing topic is left as it is). */
export class TopicAdmin {
  private readonly settings: Required<KafkaTopicSettings>;
  private readonly ensured = new Set<string>();
  private admin?: Admin;

  constructor(
    private readonly kafka: Kafka,
    settings: KafkaTopicSettings | undefined,
    private readonly logger: Logger,
  ) {
    this.settings = { ...DEFAULT_TOPIC_SETTINGS, ...settings };
  }

  async ensure(topics: readonly string[]): Promise<void> {
    if (!this.settings.create) return;
    const missing = [...new Set(topics)].filter((t) => !this.ensured.has(t));
    if (missing.length === 0) return;
    try {
      this.admin ??= this.kafka.admin();
      await this.admin.connect();
      const existing = new Set(await this.admin.listTopics());
      const toCreate = missing.filter((t) => !existing.has(t));
      if (toCreate.length > 0) {
        await this.admin.createTopics({ topics: toCreate.map((t) => topicSpec(t, this.settings)), waitForLeaders: true });
        this.logger.info({ topics: toCreate, numPartitions: this.settings.numPartitions, replicationFactor: this.settings.replicationFactor }, 'created Kafka topics');
      }
    } catch (error) {
      // A concurrent creator wins the race: the topic exists, which is all we need.
      if ((error as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS' && !/already exists/i.test((error as Error).message)) {
        throw new MessagingError(MESSAGING_ERROR_CODES.TOPIC_SETUP_FAILED, `could not create Kafka topics ${missing.join(', ')}: ${(error as Error).message}`, { retriable: true, cause: error });
      }
    }
    for (const t of missing) this.ensured.add(t);
  }

  async close(): Promise<void> {
    await this.admin?.disconnect();
  }
}
