import { Partitioners } from 'kafkajs';
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

  it('turns idempotence off only when asked, keeping one request in flight so order holds', () => {
    const config = kafkaProducerConfig({ idempotent: false });
    expect(config.idempotent).toBe(false);
    expect(config.maxInFlightRequests).toBe(1);
  });

  it('names the consumer group and bounds the fetch wait', () => {
    expect(kafkaConsumerConfig('balancing', {})).toMatchObject({ groupId: 'balancing', maxWaitTimeInMs: 500, sessionTimeout: 30_000, heartbeatInterval: 3_000 });
    expect(kafkaConsumerConfig('g', { fetchMaxWaitMs: 100 }).maxWaitTimeInMs).toBe(100);
  });

  it('carries the platform TLS and SASL settings to the Kafka client', () => {
    expect(kafkaBusConnection({ clientId: 'ingestion', brokers: ['k1:9093'], ssl: { ca: ['PEM'] }, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } })).toEqual({
      brokers: ['k1:9093'],
      clientId: 'ingestion',
      client: { ssl: { ca: ['PEM'] }, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } },
    });
    expect(kafkaBusConnection({ clientId: 'c', brokers: ['k:9092'], ssl: true }).client).toEqual({ ssl: true });
    expect(kafkaBusConnection({ clientId: 'c', brokers: ['k:9092'] }).client).toEqual({});
  });
});
