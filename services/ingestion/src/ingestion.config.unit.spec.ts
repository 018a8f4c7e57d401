import { ConfigError } from '@reflux/config';
import { loadIngestionConfig } from './ingestion.config';

const base = { SERVICE_NAME: 'ingestion', DATABASE_URL: 'postgres://reflux:secret@db:5432/reflux', AUTH_DISABLED: 'true', EVENT_BUS: 'kafka', KAFKA_BROKERS: 'kafka:9092' };

describe('ingestion configuration', () => {
  it('runs the Kafka producer idempotent unless KAFKA_PRODUCER_IDEMPOTENT turns it off', () => {
    expect(loadIngestionConfig(base).KAFKA_PRODUCER_IDEMPOTENT).toBe(true);
    expect(loadIngestionConfig({ ...base, KAFKA_PRODUCER_IDEMPOTENT: 'false' }).KAFKA_PRODUCER_IDEMPOTENT).toBe(false);
  });

  it('names KAFKA_PRODUCER_IDEMPOTENT when its value is not a boolean', () => {
    const error = (() => {
      try {
        loadIngestionConfig({ ...base, KAFKA_PRODUCER_IDEMPOTENT: 'sometimes' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([expect.objectContaining({ variable: 'KAFKA_PRODUCER_IDEMPOTENT', message: expect.stringMatching(/boolean/) })]);
  });

  it('requires REDIS_URL when more than one replica is configured, naming both variables', () => {
    const issues = (e: Record<string, string>) => {
      try {
        loadIngestionConfig(e);
        return [];
      } catch (error) {
        return (error as ConfigError).issues;
      }
    };
    expect(issues({ ...base, INGESTION_REPLICAS: '2' })).toEqual([expect.objectContaining({ variable: 'REDIS_URL', message: expect.stringContaining('INGESTION_REPLICAS is 2') })]);
    expect(issues({ ...base, INGESTION_REPLICAS: '2', REDIS_URL: 'redis://redis:6379/0' })).toEqual([]);
    expect(loadIngestionConfig(base).INGESTION_REPLICAS).toBe(1);
  });
});
