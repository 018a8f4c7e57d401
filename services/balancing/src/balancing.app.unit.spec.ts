import { demoPlantPath } from '@reflux/plant-model';
import pino from 'pino';
import type { IngestionHistorySource } from './adapters/history/ingestion.history-source';
import { balancingAppOptions } from './balancing.app';
import { loadBalancingConfig } from './balancing.config';

const base = {
  SERVICE_NAME: 'balancing',
  DATABASE_URL: 'postgres://u:p@localhost:5432/reflux',
  AUTH_JWT_SECRET: 'a-development-secret-of-at-least-32-chars',
  AUTH_JWT_DEVELOPMENT: 'true',
  PLANT_MODEL_FILES: demoPlantPath('petrochemical'),
};

describe('balancing options from the environment', () => {
  const logger = pino({ enabled: false });

  it('reads the plant models, maps gRPC auth and the reconciliation settings', () => {
    const options = balancingAppOptions(loadBalancingConfig({ ...base, BALANCE_ALPHA: '0.01', BALANCE_SIGMA_SOURCE: 'window', DATABASE_MIGRATE_ON_START: 'false' }), logger);
    try {
      expect(options.plantModels).toHaveLength(1);
      expect(options.plantModels[0]).toMatchObject({ format: 'yaml', origin: demoPlantPath('petrochemical') });
      expect(options.grpc).toMatchObject({ port: 50052, auth: { jwt: { hs256Secrets: [base.AUTH_JWT_SECRET] } } });
      expect(options.reconciler).toMatchObject({ alpha: 0.01, sigmaSource: 'window', minCoverage: 0.9 });
      expect(options.migrateOnStart).toBe(false);
      expect(options.kafka).toBeUndefined();
    } finally {
      (options.history as IngestionHistorySource).close();
    }
  });

  it('connects to Kafka with the platform settings when EVENT_BUS=kafka, producer idempotence and topic settings included', () => {
    const options = balancingAppOptions(
      loadBalancingConfig({
        ...base,
        EVENT_BUS: 'kafka',
        KAFKA_BROKERS: 'kafka-0:9092,kafka-1:9092',
        KAFKA_SSL: 'true',
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'bal',
        KAFKA_SASL_PASSWORD: 'secret',
        KAFKA_PRODUCER_IDEMPOTENT: 'false',
        KAFKA_TOPIC_REPLICATION_FACTOR: '1',
      }),
      logger,
    );
    try {
      expect(options.kafka).toEqual({
        brokers: ['kafka-0:9092', 'kafka-1:9092'],
        clientId: 'balancing',
        client: { ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'bal', password: 'secret' } },
        idempotent: false,
        publishTimeoutMs: 30_000,
        topics: { create: true, numPartitions: 6, replicationFactor: 1, retentionMs: 604_800_000, deadLetterRetentionMs: 2_592_000_000 },
      });
    } finally {
      (options.history as IngestionHistorySource).close();
    }
  });
});
