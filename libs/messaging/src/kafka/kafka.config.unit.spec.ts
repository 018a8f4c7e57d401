import { Partitioners } from 'kafkajs';
import { DEFAULT_TOPIC_SETTINGS, topicSpec } from './kafka-topics';
import { kafkaBusConnection, kafkaConsumerConfig, kafkaProducerConfig, PRODUCE_ACKS } from './kafka.config';

describe('Kafka client configuration', () => {
  it('makes the production producer idempotent, acks=all, with at most 5 requests in flight', () => {
    const config = kafkaProducerConfig({});
    expect(config.idempotent).toBe(true);
    expect(PRODUCE_ACKS).toBe(-1);
    expect(config.maxInFlightRequests).toBeLessThanOrEqual(5);
    expect(config.maxInFlightRequests).toBeGreaterThanOrEqual(1);
    expect(config.createPartitioner).toBe(Partitioners.DefaultPartitioner);
  });

  it('bounds the retries of a publish, also for the idempotent producer (kafkajs would retry Number.MAX_SAFE_INTEGER times)', () => {
    expect(kafkaProducerConfig({}).retry).toEqual({ retries: 5, initialRetryTime: 300, maxRetryTime: 5_000 });
    expect(kafkaProducerConfig({ producerRetries: 2 }).retry?.retries).toBe(2);
  });

  it('leaves topic creation to the admin client, not to broker auto-create with broker defaults', () => {
    expect(kafkaProducerConfig({}).allowAutoTopicCreation).toBe(false);
    expect(kafkaConsumerConfig('g', {}).allowAutoTopicCreation).toBe(false);
    expect(topicSpec('reflux.balancing.events.v1', DEFAULT_TOPIC_SETTINGS)).toEqual({
      topic: 'reflux.balancing.events.v1',
      numPartitions: 6,
      replicationFactor: 3,
      configEntries: [
        { name: 'retention.ms', value: String(7 * 86_400_000) },
        { name: 'cleanup.policy', value: 'delete' },
      ],
    });
    expect(topicSpec('reflux.balancing.events.v1.dlq', { ...DEFAULT_TOPIC_SETTINGS, replicationFactor: 1 })).toMatchObject({
      numPartitions: 1,
      replicationFactor: 1,
      configEntries: [{ name: 'retention.ms', value: String(30 * 86_400_000) }, expect.anything()],
    });
  });

  it('turns idempotence off only when asked, keeping one request in flight so order holds', () => {
    const config = kafkaProducerConfig({ idempotent: false });
    expect(config.idempotent).toBe(false);
    expect(config.maxInFlightRequests).toBe(1);
  });

  it('names the consumer group and bounds the fetch wait', () => {
    expect(kafkaConsumerConfig('balancing', {})).toMatchObject({ groupId: 'balancing', maxWaitTimeInMs: 500, sessionTimeout: 30_000, heartbeatInterval: 3_000 });
    expect(kafkaConsumerConfig('g', { fetchMaxWaitMs: 100 }).maxWaitTimeInMs).toBe(100);
  });

  it('carries the platform TLS, SASL, producer and topic settings to the Kafka bus', () => {
    const settings = { idempotent: false, publishTimeoutMs: 5_000, topics: { create: true, numPartitions: 12, replicationFactor: 1, retentionMs: 3_600_000, deadLetterRetentionMs: 7_200_000 } };
    expect(kafkaBusConnection({ clientId: 'ingestion', brokers: ['k1:9093'], ssl: { ca: ['PEM'] }, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' }, ...settings })).toEqual({
      brokers: ['k1:9093'],
      clientId: 'ingestion',
      client: { ssl: { ca: ['PEM'] }, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } },
      ...settings,
    });
    expect(kafkaBusConnection({ clientId: 'c', brokers: ['k:9092'], ssl: true, ...settings }).client).toEqual({ ssl: true });
    expect(kafkaBusConnection({ clientId: 'c', brokers: ['k:9092'], ...settings }).client).toEqual({});
  });
});
