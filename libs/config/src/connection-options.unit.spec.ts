import { ConfigError } from './config.error';
import { grpcTlsMaterial, kafkaConnectionOptions } from './connection-options';
import { loadConfig } from './load-config';
import { platformConfigSchema } from './platform.config';

const base = { SERVICE_NAME: 'ingestion', GRPC_PORT: '50051', DATABASE_URL: 'postgres://h/db', AUTH_DISABLED: 'true' };
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const files = (map: Record<string, string>) => (path: string) => {
  if (!(path in map)) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
  return Buffer.from(map[path]);
};

describe('kafkaConnectionOptions', () => {
  it('defaults the client id to the service name and passes brokers, TLS CA and SASL', () => {
    const config = loadConfig(platformConfigSchema, {
      ...base,
      EVENT_BUS: 'kafka',
      KAFKA_BROKERS: 'k1:9093,k2:9093',
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: '/ca/kafka.pem',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'reflux',
      KAFKA_SASL_PASSWORD: 'pw',
    });
    expect(kafkaConnectionOptions(config, files({ '/ca/kafka.pem': PEM }))).toEqual({
      clientId: 'ingestion',
      brokers: ['k1:9093', 'k2:9093'],
      ssl: { ca: [PEM] },
      sasl: { mechanism: 'scram-sha-512', username: 'reflux', password: 'pw' },
      idempotent: true,
      publishTimeoutMs: 30_000,
      topics: { create: true, numPartitions: 6, replicationFactor: 3, retentionMs: 604_800_000, deadLetterRetentionMs: 2_592_000_000 },
    });
  });

  it('lets the broker create missing topics only with KAFKA_TOPIC_AUTO_CREATE=true', () => {
    const options = (extra: Record<string, string>) => kafkaConnectionOptions(loadConfig(platformConfigSchema, { ...base, EVENT_BUS: 'kafka', KAFKA_BROKERS: 'k1:9092', ...extra }));
    expect(options({})).not.toHaveProperty('allowAutoTopicCreation');
    expect(options({ KAFKA_TOPIC_AUTO_CREATE: 'true' })).toMatchObject({ allowAutoTopicCreation: true });
  });

  it('carries the producer and topic settings every service uses', () => {
    const config = loadConfig(platformConfigSchema, {
      ...base,
      EVENT_BUS: 'kafka',
      KAFKA_BROKERS: 'k1:9092',
      KAFKA_PRODUCER_IDEMPOTENT: 'false',
      KAFKA_PUBLISH_TIMEOUT_MS: '5000',
      KAFKA_TOPIC_CREATE: 'false',
      KAFKA_TOPIC_PARTITIONS: '12',
      KAFKA_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TOPIC_RETENTION_MS: '3600000',
      KAFKA_DLQ_RETENTION_MS: '7200000',
    });
    expect(kafkaConnectionOptions(config)).toMatchObject({
      idempotent: false,
      publishTimeoutMs: 5_000,
      topics: { create: false, numPartitions: 12, replicationFactor: 1, retentionMs: 3_600_000, deadLetterRetentionMs: 7_200_000 },
    });
    expect(() => loadConfig(platformConfigSchema, { ...base, EVENT_BUS: 'kafka', KAFKA_BROKERS: 'k1:9092', KAFKA_TOPIC_PARTITIONS: '0' })).toThrow(/KAFKA_TOPIC_PARTITIONS/);
  });

  it('names KAFKA_SSL_CA_FILE when the file cannot be read', () => {
    const config = loadConfig(platformConfigSchema, { ...base, EVENT_BUS: 'kafka', KAFKA_BROKERS: 'k:9093', KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/missing.pem' });
    expect(() => kafkaConnectionOptions(config, files({}))).toThrow('KAFKA_SSL_CA_FILE: cannot read /missing.pem (ENOENT)');
  });

  it('refuses when the event bus is not Kafka', () => {
    expect(() => kafkaConnectionOptions(loadConfig(platformConfigSchema, base))).toThrow(ConfigError);
  });
});

describe('grpcTlsMaterial', () => {
  const tls = { ...base, TLS_CERT_FILE: '/tls/tls.crt', TLS_KEY_FILE: '/tls/tls.key' };

  it('is undefined without TLS and reads cert, key and client CA with TLS', () => {
    expect(grpcTlsMaterial(loadConfig(platformConfigSchema, base))).toBeUndefined();
    const config = loadConfig(platformConfigSchema, { ...tls, TLS_CLIENT_CA_FILE: '/tls/ca.crt', TLS_REQUIRE_CLIENT_CERT: 'true' });
    const material = grpcTlsMaterial(config, files({ '/tls/tls.crt': PEM, '/tls/tls.key': PEM.replace(/CERTIFICATE/g, 'PRIVATE KEY'), '/tls/ca.crt': PEM }));
    expect(material?.requireClientCert).toBe(true);
    expect(material?.key.toString()).toContain('BEGIN PRIVATE KEY');
    expect(material?.clientCa?.toString()).toBe(PEM);
  });

  it('reports every unreadable or non-PEM file by variable at once', () => {
    const config = loadConfig(platformConfigSchema, { ...tls, TLS_CLIENT_CA_FILE: '/tls/ca.crt' });
    let error: ConfigError | undefined;
    try {
      grpcTlsMaterial(config, files({ '/tls/tls.crt': 'not pem' }));
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.issues).toEqual([
      { variable: 'TLS_CERT_FILE', message: '/tls/tls.crt is not a PEM file (no "-----BEGIN" line)' },
      { variable: 'TLS_KEY_FILE', message: 'cannot read /tls/tls.key (ENOENT)' },
      { variable: 'TLS_CLIENT_CA_FILE', message: 'cannot read /tls/ca.crt (ENOENT)' },
    ]);
  });
});
