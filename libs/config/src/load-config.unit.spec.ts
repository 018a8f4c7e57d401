import { createHash } from 'node:crypto';
import { ConfigError } from './config.error';
import { env } from './env';
import { loadConfig } from './load-config';
import { extendPlatformConfig, platformConfigSchema } from './platform.config';

const minimal = {
  SERVICE_NAME: 'ingestion',
  GRPC_PORT: '50051',
  DATABASE_URL: 'postgres://reflux:pw@db:5432/reflux',
  AUTH_JWT_SECRET: 'x'.repeat(32),
  AUTH_JWT_ISSUER: 'reflux',
  AUTH_JWT_AUDIENCE: 'reflux',
};

function issuesOf(env: Record<string, string>, schema = platformConfigSchema): string[] {
  try {
    loadConfig(schema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => `${i.variable}: ${i.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig with the platform schema', () => {
  it('parses a minimal environment and fills documented defaults', () => {
    const config = loadConfig(platformConfigSchema, minimal);
    expect(config).toMatchObject({
      SERVICE_NAME: 'ingestion',
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: 50051,
      GRPC_MAX_RECEIVE_MESSAGE_BYTES: 16 * 1024 * 1024,
      METRICS_PORT: 0,
      LOG_LEVEL: 'info',
      DATABASE_POOL_MAX: 10,
      EVENT_BUS: 'postgres',
      KAFKA_SSL: false,
      AUTH_DISABLED: false,
      AUTH_JWT_DEVELOPMENT: false,
      GRPC_REFLECTION: false,
      GRPC_MAX_CONCURRENT_STREAMS: 100,
      GRPC_HEALTH_WATCHES_PER_PEER: 16,
      SHUTDOWN_GRACE_MS: 10_000,
      OTEL_TRACES_EXPORTER: 'none',
    });
    expect(config.REDIS_URL).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names the variable and echoes the bad value', () => {
    expect(issuesOf({ ...minimal, GRPC_PORT: 'abc' })).toEqual(['GRPC_PORT: expected an integer 1..65535, got "abc"']);
    expect(issuesOf({ ...minimal, GRPC_PORT: '70000' })).toEqual(['GRPC_PORT: expected an integer 1..65535, got "70000"']);
    expect(issuesOf({ ...minimal, GRPC_PORT: '50051.5' })).toEqual(['GRPC_PORT: expected an integer 1..65535, got "50051.5"']);
  });

  it('lists every bad variable at once, field errors and cross-field rules together', () => {
    const issues = issuesOf({
      SERVICE_NAME: 'Ingestion!',
      GRPC_PORT: 'abc',
      LOG_LEVEL: 'verbose',
      EVENT_BUS: 'kafka',
      TLS_CERT_FILE: '/etc/tls/tls.crt',
      AUTH_DISABLED: 'maybe',
    });
    expect(issues).toEqual([
      'AUTH_DISABLED: expected a boolean (true/false, 1/0, yes/no, on/off), got "maybe"',
      'DATABASE_URL: required but not set (expected a URL starting with postgres:// or postgresql://)',
      'GRPC_PORT: expected an integer 1..65535, got "abc"',
      'KAFKA_BROKERS: required when EVENT_BUS=kafka (comma-separated host:port list)',
      'LOG_LEVEL: expected one of fatal | error | warn | info | debug | trace | silent, got "verbose"',
      'SERVICE_NAME: expected a string matching a lower-case DNS label (a-z, 0-9, -), got "Ingestion!"',
      'TLS_KEY_FILE: required together with TLS_CERT_FILE (a server certificate needs its private key)',
    ]);
  });

  it('puts all problems in the error message, one line per variable', () => {
    expect(() => loadConfig(platformConfigSchema, { ...minimal, GRPC_PORT: 'x', DATABASE_POOL_MAX: '0' })).toThrow(
      /invalid configuration \(2 problems\):\n {2}DATABASE_POOL_MAX: expected an integer 1\.\.1000, got "0"\n {2}GRPC_PORT: /,
    );
  });

  it('never echoes secrets and masks passwords inside URLs', () => {
    const issues = issuesOf({ ...minimal, AUTH_JWT_SECRET: 'short-secret', DATABASE_URL: 'mysql://u:hunter2@db/x' });
    expect(issues.join('\n')).not.toMatch(/short-secret|hunter2/);
    expect(issues).toContain('DATABASE_URL: expected a URL starting with postgres:// or postgresql://, got "mysql://u:***@db/x"');
    expect(issues).toContain('AUTH_JWT_SECRET: expected a string of at least 32 characters, got a value of 12 characters (hidden)');
  });

  it('requires KAFKA_BROKERS exactly when EVENT_BUS=kafka', () => {
    const kafka = loadConfig(platformConfigSchema, { ...minimal, EVENT_BUS: 'kafka', KAFKA_BROKERS: 'k1:9092, k2:9092,' });
    expect(kafka.KAFKA_BROKERS).toEqual(['k1:9092', 'k2:9092']);
    expect(issuesOf({ ...minimal, KAFKA_BROKERS: 'k1:9092' })).toEqual([
      'KAFKA_BROKERS: set, but EVENT_BUS=postgres does not use Kafka; set EVENT_BUS=kafka or remove it',
    ]);
    expect(issuesOf({ ...minimal, EVENT_BUS: 'kafka', KAFKA_BROKERS: 'k1' })[0]).toMatch(/^KAFKA_BROKERS: expected a comma-separated list of host:port \(bad item: "k1"\)/);
  });

  it('requires SASL mechanism, user and password together', () => {
    expect(issuesOf({ ...minimal, EVENT_BUS: 'kafka', KAFKA_BROKERS: 'k:9092', KAFKA_SASL_MECHANISM: 'scram-sha-512' })).toEqual([
      'KAFKA_SASL_PASSWORD: required together with KAFKA_SASL_MECHANISM (SASL needs mechanism, username and password)',
      'KAFKA_SASL_USERNAME: required together with KAFKA_SASL_MECHANISM (SASL needs mechanism, username and password)',
    ]);
  });

  it('refuses to start without any authentication unless AUTH_DISABLED=true says so', () => {
    const { AUTH_JWT_SECRET: _, ...noAuth } = minimal;
    expect(issuesOf(noAuth)).toEqual([
      'AUTH_DISABLED: no authentication configured: set AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY_FILE or AUTH_API_KEYS, or set AUTH_DISABLED=true explicitly',
    ]);
    expect(loadConfig(platformConfigSchema, { ...noAuth, AUTH_DISABLED: 'true' }).AUTH_DISABLED).toBe(true);
    expect(issuesOf({ ...minimal, AUTH_JWT_PUBLIC_KEY_FILE: '/keys/jwt.pem' })[0]).toMatch(/^AUTH_JWT_PUBLIC_KEY_FILE: set together with AUTH_JWT_SECRET/);
  });

  it('requires AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE with any JWT key but the local development secret', () => {
    const { AUTH_JWT_ISSUER: _i, AUTH_JWT_AUDIENCE: _a, ...secretOnly } = minimal;
    expect(issuesOf(secretOnly)).toEqual([
      'AUTH_JWT_AUDIENCE: required with AUTH_JWT_SECRET (a token issued for another application must not be accepted); only the local development secret may omit it (AUTH_JWT_DEVELOPMENT=true)',
      'AUTH_JWT_ISSUER: required with AUTH_JWT_SECRET (a token issued for another application must not be accepted); only the local development secret may omit it (AUTH_JWT_DEVELOPMENT=true)',
    ]);
    const { AUTH_JWT_SECRET: _s, ...keyOnly } = secretOnly;
    expect(issuesOf({ ...keyOnly, AUTH_JWT_PUBLIC_KEY_FILE: '/keys/idp.pem', AUTH_JWT_ISSUER: 'https://idp.plant' })).toEqual([
      'AUTH_JWT_AUDIENCE: required with AUTH_JWT_PUBLIC_KEY_FILE (a token issued for another application must not be accepted); only the local development secret may omit it (AUTH_JWT_DEVELOPMENT=true)',
    ]);
    expect(issuesOf({ ...keyOnly, AUTH_JWT_PUBLIC_KEY_FILE: '/keys/idp.pem', AUTH_JWT_DEVELOPMENT: 'true' })[0]).toMatch(/^AUTH_JWT_DEVELOPMENT: marks AUTH_JWT_SECRET as the local development secret/);
    expect(loadConfig(platformConfigSchema, { ...secretOnly, AUTH_JWT_DEVELOPMENT: 'true' }).AUTH_JWT_DEVELOPMENT).toBe(true);
    expect(issuesOf({ ...minimal, AUTH_JWT_MAX_TOKEN_LIFETIME_S: '10' })).toEqual(['AUTH_JWT_MAX_TOKEN_LIFETIME_S: expected an integer 60..2592000, got "10"']);
  });

  it('parses API keys in both notations', () => {
    const hash = createHash('sha256').update('k1').digest('hex');
    const compact = loadConfig(platformConfigSchema, { ...minimal, AUTH_API_KEYS: `mes:${hash.toUpperCase()}:ingest|read` });
    expect(compact.AUTH_API_KEYS).toEqual([{ name: 'mes', sha256Hex: hash, roles: ['ingest', 'read'] }]);
    const json = loadConfig(platformConfigSchema, { ...minimal, AUTH_API_KEYS: JSON.stringify([{ name: 'mes', sha256: hash, roles: ['ingest', 'read'] }]) });
    expect(json.AUTH_API_KEYS).toEqual(compact.AUTH_API_KEYS);
    expect(issuesOf({ ...minimal, AUTH_API_KEYS: `a:${hash}:r,a:${'0'.repeat(64)}:r` })[0]).toMatch(/^AUTH_API_KEYS: .*name "a" appears twice/);
    expect(issuesOf({ ...minimal, AUTH_API_KEYS: 'a:nothex:r' })[0]).toMatch(/sha256 must be 64 hex characters/);
  });

  it('requires a client CA when client certificates are required', () => {
    const tls = { ...minimal, TLS_CERT_FILE: '/tls/tls.crt', TLS_KEY_FILE: '/tls/tls.key' };
    expect(issuesOf({ ...tls, TLS_REQUIRE_CLIENT_CERT: 'true' })).toEqual([
      'TLS_CLIENT_CA_FILE: required when TLS_REQUIRE_CLIENT_CERT=true (the CA that signs client certificates)',
    ]);
    expect(issuesOf({ ...tls, TLS_KEY_FILE: 'tls.key' })).toEqual(['TLS_KEY_FILE: expected an absolute file path, got "tls.key"']);
  });

  it('refuses the CHANGE_ME placeholders of the example Secret', () => {
    expect(issuesOf({ ...minimal, AUTH_JWT_SECRET: 'CHANGE_ME-generate-with-openssl-rand-base64-48', DATABASE_URL: 'postgres://reflux:CHANGE_ME@db/reflux' })).toEqual([
      'AUTH_JWT_SECRET: still holds the CHANGE_ME placeholder of the example Secret; set the real value (see deploy/README.md)',
      'DATABASE_URL: still holds the CHANGE_ME placeholder of the example Secret; set the real value (see deploy/README.md)',
    ]);
  });

  it('treats an empty value like an unset one', () => {
    expect(loadConfig(platformConfigSchema, { ...minimal, REDIS_URL: '', LOG_LEVEL: ' ' }).LOG_LEVEL).toBe('info');
  });

  it('keeps the cross-field rules when a service extends the schema', () => {
    const serviceSchema = extendPlatformConfig(
      {
        GRPC_PORT: env.port({ default: 50052 }),
        BALANCING_MAX_ITERATIONS: env.int({ min: 1, max: 10_000 }, { default: 200 }),
      },
      (c, ctx) => {
        if (c.BALANCING_MAX_ITERATIONS === 13) ctx.addIssue({ code: 'custom', path: ['BALANCING_MAX_ITERATIONS'], message: 'unlucky' });
      },
    );
    const config = loadConfig(serviceSchema, { ...minimal, GRPC_PORT: '' });
    expect(config.GRPC_PORT).toBe(50052);
    expect(config.BALANCING_MAX_ITERATIONS).toBe(200);
    expect(issuesOf({ ...minimal, EVENT_BUS: 'kafka', BALANCING_MAX_ITERATIONS: '0' }, serviceSchema)).toEqual([
      'BALANCING_MAX_ITERATIONS: expected an integer 1..10000, got "0"',
      'KAFKA_BROKERS: required when EVENT_BUS=kafka (comma-separated host:port list)',
    ]);
    expect(issuesOf({ ...minimal, BALANCING_MAX_ITERATIONS: '13' }, serviceSchema)).toEqual(['BALANCING_MAX_ITERATIONS: unlucky']);
    const viaZod = platformConfigSchema.safeExtend({ EXTRA_FLAG: env.bool({ default: true }) });
    expect(loadConfig(viaZod, minimal).EXTRA_FLAG).toBe(true);
    expect(issuesOf({ ...minimal, EVENT_BUS: 'kafka' }, viaZod)).toEqual(['KAFKA_BROKERS: required when EVENT_BUS=kafka (comma-separated host:port list)']);
  });

  it('refuses DATABASE_SSL_CA_FILE with sslmode=disable', () => {
    expect(issuesOf({ ...minimal, DATABASE_URL: 'postgres://reflux:pw@db:5432/reflux?sslmode=disable', DATABASE_SSL_CA_FILE: '/etc/reflux/db-ca.crt' })).toEqual([
      'DATABASE_SSL_CA_FILE: set, but DATABASE_URL has sslmode=disable; use sslmode=verify-full (or require) or remove it',
    ]);
  });

  it('accepts OTLP trace export without an endpoint (the OpenTelemetry default applies; tracing logs it at start)', () => {
    expect(loadConfig(platformConfigSchema, { ...minimal, OTEL_TRACES_EXPORTER: 'otlp' }).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  });
});
