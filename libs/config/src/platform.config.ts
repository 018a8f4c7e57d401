import { z } from 'zod';
import { apiKeys } from './api-keys';
import { env } from './env';
import { platformRules } from './platform.rules';

const HOST_PORT = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/;
const MiB = 1024 * 1024;

/**
 * Variables every Reflux service understands. Keys are the environment variable names; values are
 *
 *   export const ingestionConfigSchema = platformConfigSchema.extend({
 *     GRPC_PORT: env.port({ default: 50051 }),
 *     INGESTION_MAX_BATCH_SAMPLES: env.int({ min: 1, max: 1_000_000 }, { default: 10_000 }),
 *   });
 *
 * Cross-field rules (see platform.rules.ts) survive `.extend()` and run even when single fields are
 * wrong, so one start reports every problem.
 */
export const platformConfigShape = {
  SERVICE_NAME: env.text({ pattern: /^[a-z][a-z0-9-]{0,62}$/, patternName: 'a lower-case DNS label (a-z, 0-9, -)' }),
  GRPC_HOST: env.text({ default: '127.0.0.1', pattern: /^[A-Za-z0-9.:[\]-]+$/, patternName: 'a host name or IP address' }),
  GRPC_PORT: env.port(),
  GRPC_MAX_RECEIVE_MESSAGE_BYTES: env.int({ min: 1024, max: 2 ** 31 - 1 }, { default: 16 * MiB }),
  GRPC_MAX_SEND_MESSAGE_BYTES: env.int({ min: 1024, max: 2 ** 31 - 1 }, { default: 16 * MiB }),
  /** HTTP/2 concurrent calls per connection. */
  GRPC_MAX_CONCURRENT_STREAMS: env.int({ min: 1, max: 100_000 }, { default: 100 }),
  /** Open health Watch streams per remote address (health needs no credentials). */
  GRPC_HEALTH_WATCHES_PER_PEER: env.int({ min: 1, max: 10_000 }, { default: 16 }),
  /** Server reflection (grpcurl list/describe, unauthenticated): on under `npm start`, off by default. */
  GRPC_REFLECTION: env.bool({ default: false }),
  METRICS_HOST: env.text({ default: '0.0.0.0', pattern: /^[A-Za-z0-9.:[\]-]+$/, patternName: 'a host name or IP address' }),
  METRICS_PORT: env.port({ allowZero: true, default: 0 }),
  LOG_LEVEL: env.oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, { default: 'info' }),

  DATABASE_URL: env.url(['postgres', 'postgresql']),
  DATABASE_POOL_MAX: env.int({ min: 1, max: 1000 }, { default: 10 }),
  DATABASE_STATEMENT_TIMEOUT_MS: env.int({ min: 0, max: 3_600_000 }, { default: 30_000 }),
  DATABASE_CONNECT_TIMEOUT_MS: env.int({ min: 100, max: 600_000 }, { default: 10_000 }),
  /**
   * PEM CA bundle that signs the PostgreSQL server's certificate (a private or cloud provider CA).
   * With it, sslmode=require verifies the chain (as libpq does when a root certificate is present),
   * verify-full (the default when DATABASE_URL names no sslmode) the chain and the host name.
   */
  DATABASE_SSL_CA_FILE: env.filePath({ optional: true }),
  /** Apply pending migrations at start (embedded default); false where a migration Job runs them. */
  DATABASE_MIGRATE_ON_START: env.bool({ default: true }),

  REDIS_URL: env.url(['redis', 'rediss'], { optional: true }),

  EVENT_BUS: env.oneOf(['postgres', 'kafka'] as const, { default: 'postgres' }),
  KAFKA_BROKERS: env.list({ expected: 'host:port', test: (s) => HOST_PORT.test(s) }, { optional: true }),
  KAFKA_CLIENT_ID: env.text({ optional: true, pattern: /^[A-Za-z0-9._-]{1,249}$/, patternName: '[A-Za-z0-9._-]' }),
  KAFKA_SSL: env.bool({ default: false }),
  KAFKA_SSL_CA_FILE: env.filePath({ optional: true }),
  KAFKA_SASL_MECHANISM: env.oneOf(['plain', 'scram-sha-256', 'scram-sha-512'] as const, { optional: true }),
  KAFKA_SASL_USERNAME: env.text({ optional: true }),
  KAFKA_SASL_PASSWORD: env.text({ optional: true, secret: true }),
  /**
   * Idempotent producer (broker-side deduplication of retried produce requests). Turn off only for
   * brokers that hand out no producer ids (the librdkafka mock cluster of the tests).
   */
  KAFKA_PRODUCER_IDEMPOTENT: env.bool({ default: true }),
  /** Longest one publish (an outbox batch) may wait for the broker before it fails and is retried, ms. */
  KAFKA_PUBLISH_TIMEOUT_MS: env.int({ min: 1_000, max: 600_000 }, { default: 30_000 }),
  /** Create missing topics (and their `.dlq`) through the admin client; false: the operator creates them. */
  KAFKA_TOPIC_CREATE: env.bool({ default: true }),
  /**
   * Ask the broker to create a missing topic on first use (its auto.create.topics.enable, with the
   * broker's default partitions) instead of failing; for brokers without a usable admin API.
   */
  KAFKA_TOPIC_AUTO_CREATE: env.bool({ default: false }),
  KAFKA_TOPIC_PARTITIONS: env.int({ min: 1, max: 10_000 }, { default: 6 }),
  KAFKA_TOPIC_REPLICATION_FACTOR: env.int({ min: 1, max: 32 }, { default: 3 }),
  /** retention.ms of event topics (default 7 days) and of dead-letter topics (default 30 days). */
  KAFKA_TOPIC_RETENTION_MS: env.int({ min: 60_000, max: Number.MAX_SAFE_INTEGER }, { default: 7 * 86_400_000 }),
  KAFKA_DLQ_RETENTION_MS: env.int({ min: 60_000, max: Number.MAX_SAFE_INTEGER }, { default: 30 * 86_400_000 }),

  AUTH_JWT_SECRET: env.text({ optional: true, secret: true, minLength: 32 }),
  AUTH_JWT_PUBLIC_KEY_FILE: env.filePath({ optional: true }),
  AUTH_JWT_ISSUER: env.text({ optional: true }),
  AUTH_JWT_AUDIENCE: env.text({ optional: true }),
  /**
   * AUTH_JWT_SECRET is the local development secret (`npm start`, tests): AUTH_JWT_ISSUER and
   * AUTH_JWT_AUDIENCE become optional and tokens may live 7 days. Never in a deployment.
   */
  AUTH_JWT_DEVELOPMENT: env.bool({ default: false }),
  /** Longest accepted JWT lifetime (exp - iat), seconds. Default 43200 (12 h), 604800 with AUTH_JWT_DEVELOPMENT. */
  AUTH_JWT_MAX_TOKEN_LIFETIME_S: env.int({ min: 60, max: 30 * 24 * 3600 }, { optional: true }),
  AUTH_API_KEYS: apiKeys(),
  AUTH_DISABLED: env.bool({ default: false }),

  TLS_CERT_FILE: env.filePath({ optional: true }),
  TLS_KEY_FILE: env.filePath({ optional: true }),
  TLS_CLIENT_CA_FILE: env.filePath({ optional: true }),
  TLS_REQUIRE_CLIENT_CERT: env.bool({ default: false }),

  /**
   * On SIGTERM gRPC health turns NOT_SERVING at once; the server keeps accepting calls for this long
   * (so load balancers and kube-proxy stop routing here), then stops accepting and lets in-flight
   * calls finish within SHUTDOWN_GRACE_MS. Kubernetes: terminationGracePeriodSeconds must exceed
   * GRPC_DRAIN_DELAY_MS + SHUTDOWN_GRACE_MS.
   */
  GRPC_DRAIN_DELAY_MS: env.int({ min: 0, max: 300_000 }, { default: 0 }),
  /**
   * Close each client connection after this age (grpc.max_connection_age_ms), and its calls after
   * GRPC_MAX_CONNECTION_AGE_GRACE_MS more, so long-lived clients reconnect and spread over new
   * replicas behind a Kubernetes Service. Unset: connections live until the client closes them.
   */
  GRPC_MAX_CONNECTION_AGE_MS: env.int({ min: 1_000, max: 2 ** 31 - 1 }, { optional: true }),
  GRPC_MAX_CONNECTION_AGE_GRACE_MS: env.int({ min: 0, max: 2 ** 31 - 1 }, { optional: true }),
  SHUTDOWN_GRACE_MS: env.int({ min: 0, max: 600_000 }, { default: 10_000 }),

  OTEL_TRACES_EXPORTER: env.oneOf(['otlp', 'console', 'none'] as const, { default: 'none' }),
  OTEL_EXPORTER_OTLP_ENDPOINT: env.url(['http', 'https'], { optional: true }),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: env.url(['http', 'https'], { optional: true }),
  OTEL_SERVICE_NAME: env.text({ optional: true }),
  OTEL_TRACES_SAMPLER: env.oneOf(
    ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const,
    { default: 'parentbased_always_on' },
  ),
  OTEL_TRACES_SAMPLER_ARG: env.text({ optional: true, pattern: /^(0(\.\d+)?|1(\.0+)?)$/, patternName: 'a ratio 0..1' }),
};

export const platformConfigSchema = z.object(platformConfigShape).superRefine(platformRules, { when: () => true });

export type PlatformConfig = z.output<typeof platformConfigSchema>;

type Shape = Record<string, z.ZodType<unknown, string | undefined>>;

/**
 * The platform schema plus a service's own variables (which win over platform ones of the same
 * name) and optional service-specific cross-field rules. Rules run even when fields are invalid.
 */
export function extendPlatformConfig<S extends Shape>(
  shape: S,
  rules?: (config: Record<string, unknown>, ctx: z.RefinementCtx) => void,
) {
  const schema = z.object({ ...platformConfigShape, ...shape } as Omit<typeof platformConfigShape, keyof S> & S);
  return schema.superRefine((config, ctx) => {
    platformRules(config as Record<string, unknown>, ctx);
    rules?.(config as Record<string, unknown>, ctx);
  }, { when: () => true });
}
