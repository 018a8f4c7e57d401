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
});
