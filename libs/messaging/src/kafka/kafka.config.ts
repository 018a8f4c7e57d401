import type { KafkaConnectionOptions } from '@reflux/config';
import type { ContractRegistry } from '@reflux/contracts';
import type { ConsumerConfig, KafkaConfig, ProducerConfig, SASLOptions } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { Logger } from 'pino';
import type { RetryPolicy } from '../event-bus.port';
import type { BusMonitoring } from '../monitoring/consumer-observer';
import type { KafkaTopicSettings } from './kafka-topics';

export interface KafkaEventBusConfig {
  readonly brokers: readonly string[];
  /** Client id the broker logs and quotas see (`ingestion-7f9c`). */
  readonly clientId: string;
  readonly logger: Logger;
  /** Contracts to validate against; defaults to Reflux's `integrationEvents`. */
  readonly registry?: ContractRegistry;
  /**
   * Idempotent producer (broker-side deduplication of retried produce requests, exactly-once per
   * partition). Default true; only turn off against brokers that cannot hand out producer ids.
   */
  readonly idempotent?: boolean;
  /** Consumer retry policy (handler failures); see `DEFAULT_RETRY_POLICY`. */
  readonly retry?: Partial<RetryPolicy>;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /**
   * Let the broker create topics on first use with its defaults. Default false: the bus creates its
   * topics through the admin client with `topics` settings instead.
   */
  readonly allowAutoTopicCreation?: boolean;
  /** Partitions, replication and retention of the topics the bus creates (see `KafkaTopicSettings`). */
  readonly topics?: KafkaTopicSettings;
  /**
   * Longest one `publish` may take, connecting and the client's retries included (default 30 s).
   * Past it the publish fails with `MESSAGING.PUBLISH_FAILED` (retriable) and the outbox relay tries
   * the batch again later, so a broker outage surfaces instead of blocking forever.
   */
  readonly publishTimeoutMs?: number;
  /** Time the broker has to answer one produce request (default 10 s). */
  readonly requestTimeoutMs?: number;
  /** Client retries of one produce request before `publish` fails (default 5, backoff from 300 ms capped at 5 s). */
  readonly producerRetries?: number;
  /** ComponentHealth and Prometheus registry the consumers report to. */
  readonly monitoring?: BusMonitoring;
  /**
   * Longest a fetch waits at the broker for new data (Kafka's fetch.max.wait.ms). Also bounds how
   * long stopping a consumer waits for its in-flight fetch. Default 500 ms, as the Java client.
   */
  readonly fetchMaxWaitMs?: number;
  /** How long `subscribe` waits for the consumer to join its group. Default 60 s. */
  readonly joinTimeoutMs?: number;
  /** TLS, SASL and other client settings, passed to kafkajs unchanged. */
  readonly client?: Omit<KafkaConfig, 'brokers' | 'clientId' | 'logCreator'>;
}

/**
 * The platform's Kafka variables (KAFKA_BROKERS, KAFKA_CLIENT_ID, KAFKA_SSL, KAFKA_SSL_CA_FILE,
 * KAFKA_SASL_*, KAFKA_PRODUCER_IDEMPOTENT, KAFKA_PUBLISH_TIMEOUT_MS, KAFKA_TOPIC_*,
 * KAFKA_DLQ_RETENTION_MS; see @reflux/config's kafkaConnectionOptions) as Kafka bus settings, so
 * that every service connects, publishes and creates topics the same way.
 */
export function kafkaBusConnection(c: KafkaConnectionOptions): Pick<KafkaEventBusConfig, 'brokers' | 'clientId' | 'client' | 'idempotent' | 'publishTimeoutMs' | 'topics' | 'allowAutoTopicCreation'> {
  return {
    brokers: [...c.brokers],
    clientId: c.clientId,
    client: {
      ...(c.ssl !== undefined && { ssl: typeof c.ssl === 'boolean' ? c.ssl : { ca: [...c.ssl.ca] } }),
      ...(c.sasl && { sasl: saslOptions(c.sasl.mechanism, c.sasl.username, c.sasl.password) }),
    },
    idempotent: c.idempotent,
    publishTimeoutMs: c.publishTimeoutMs,
    ...(c.allowAutoTopicCreation && { allowAutoTopicCreation: true }),
    topics: { ...c.topics },
  };
}

/** kafkajs types SASL as a union discriminated by mechanism. */
function saslOptions(mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512', username: string, password: string): SASLOptions {
  switch (mechanism) {
    case 'plain':
      return { mechanism, username, password };
    case 'scram-sha-256':
      return { mechanism, username, password };
    case 'scram-sha-512':
      return { mechanism, username, password };
  }
}

/** acks=all: a publish resolves only once every in-sync replica has the message. */
export const PRODUCE_ACKS = -1;

/**
 * Producer settings. With `maxInFlightRequests: 1` a retried request can never overtake a later
 * one, so per-key order holds even with idempotence off; idempotence (default) removes duplicates
 * from the broker's side. The Java-compatible murmur2 partitioner keeps key → partition stable
 * across languages.
 */
export function kafkaProducerConfig(config: Pick<KafkaEventBusConfig, 'idempotent' | 'allowAutoTopicCreation' | 'producerRetries'>): ProducerConfig {
  return {
    idempotent: config.idempotent ?? true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: config.allowAutoTopicCreation ?? false,
    createPartitioner: Partitioners.DefaultPartitioner,
    // Bounded: kafkajs's idempotent default is Number.MAX_SAFE_INTEGER retries, so a publish during
    // a broker outage never returned. The outbox relay retries a failed batch (same event ids).
    retry: { retries: config.producerRetries ?? 5, initialRetryTime: 300, maxRetryTime: 5_000 },
  };
}

/** Default bound of one publish, ms. */
export const DEFAULT_PUBLISH_TIMEOUT_MS = 30_000;
/** Default time the broker has to answer one request, ms. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export function kafkaConsumerConfig(group: string, config: Pick<KafkaEventBusConfig, 'sessionTimeoutMs' | 'heartbeatIntervalMs' | 'allowAutoTopicCreation' | 'fetchMaxWaitMs'>): ConsumerConfig {
  return {
    groupId: group,
    sessionTimeout: config.sessionTimeoutMs ?? 30_000,
    heartbeatInterval: config.heartbeatIntervalMs ?? 3_000,
    allowAutoTopicCreation: config.allowAutoTopicCreation ?? false,
    maxWaitTimeInMs: config.fetchMaxWaitMs ?? 500,
    // A group's handler sees one message at a time per partition, in offset order.
    maxInFlightRequests: 1,
  };
}
