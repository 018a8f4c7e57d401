import { readFileSync } from 'node:fs';
import { ConfigError, type ConfigIssue } from './config.error';
import type { PlatformConfig } from './platform.config';

type ReadFile = (path: string) => Buffer;

/** kafkajs-compatible connection options (structural, so this library does not depend on kafkajs). */
export interface KafkaConnectionOptions {
  readonly clientId: string;
  readonly brokers: string[];
  readonly ssl?: boolean | { readonly ca: string[] };
  readonly sasl?: { readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; readonly username: string; readonly password: string };
  /** KAFKA_PRODUCER_IDEMPOTENT. */
  readonly idempotent: boolean;
  /** KAFKA_PUBLISH_TIMEOUT_MS. */
  readonly publishTimeoutMs: number;
  /** KAFKA_TOPIC_AUTO_CREATE: let the broker create missing topics on first use. */
  readonly allowAutoTopicCreation?: boolean;
  /** KAFKA_TOPIC_* and KAFKA_DLQ_RETENTION_MS: how the bus creates its topics. */
  readonly topics: {
    readonly create: boolean;
    readonly numPartitions: number;
    readonly replicationFactor: number;
    readonly retentionMs: number;
    readonly deadLetterRetentionMs: number;
  };
}

type KafkaVariables =
  | 'SERVICE_NAME'
  | 'EVENT_BUS'
  | 'KAFKA_BROKERS'
  | 'KAFKA_CLIENT_ID'
  | 'KAFKA_SSL'
  | 'KAFKA_SSL_CA_FILE'
  | 'KAFKA_SASL_MECHANISM'
  | 'KAFKA_SASL_USERNAME'
  | 'KAFKA_SASL_PASSWORD'
  | 'KAFKA_PRODUCER_IDEMPOTENT'
  | 'KAFKA_PUBLISH_TIMEOUT_MS'
  | 'KAFKA_TOPIC_CREATE'
  | 'KAFKA_TOPIC_AUTO_CREATE'
  | 'KAFKA_TOPIC_PARTITIONS'
  | 'KAFKA_TOPIC_REPLICATION_FACTOR'
  | 'KAFKA_TOPIC_RETENTION_MS'
  | 'KAFKA_DLQ_RETENTION_MS';

/**
 * Kafka connection options from the platform variables: KAFKA_CLIENT_ID (default SERVICE_NAME),
 * KAFKA_BROKERS, KAFKA_SSL with the optional KAFKA_SSL_CA_FILE (read now, so a missing file stops
 * the start naming the variable), the KAFKA_SASL_* triple, and the producer and topic settings
 * every service's bus uses (KAFKA_PRODUCER_IDEMPOTENT, KAFKA_PUBLISH_TIMEOUT_MS, KAFKA_TOPIC_*,
 * KAFKA_DLQ_RETENTION_MS).
 */
export function kafkaConnectionOptions(
  config: Pick<PlatformConfig, KafkaVariables>,
  readFile: ReadFile = readFileSync,
): KafkaConnectionOptions {
  if (config.EVENT_BUS !== 'kafka' || !config.KAFKA_BROKERS) {
    throw new ConfigError([{ variable: 'EVENT_BUS', message: `Kafka options requested but EVENT_BUS=${config.EVENT_BUS}` }]);
  }
  const issues: ConfigIssue[] = [];
  let ssl: KafkaConnectionOptions['ssl'] = config.KAFKA_SSL || undefined;
  if (config.KAFKA_SSL && config.KAFKA_SSL_CA_FILE) {
    const ca = readText(config.KAFKA_SSL_CA_FILE, 'KAFKA_SSL_CA_FILE', issues, readFile);
    if (ca !== undefined) ssl = { ca: [ca] };
  }
  if (issues.length > 0) throw new ConfigError(issues);
  const sasl =
    config.KAFKA_SASL_MECHANISM && config.KAFKA_SASL_USERNAME && config.KAFKA_SASL_PASSWORD
      ? { mechanism: config.KAFKA_SASL_MECHANISM, username: config.KAFKA_SASL_USERNAME, password: config.KAFKA_SASL_PASSWORD }
      : undefined;
  return {
    clientId: config.KAFKA_CLIENT_ID ?? config.SERVICE_NAME,
    brokers: [...config.KAFKA_BROKERS],
    ...(ssl !== undefined && { ssl }),
    ...(sasl && { sasl }),
    idempotent: config.KAFKA_PRODUCER_IDEMPOTENT,
    publishTimeoutMs: config.KAFKA_PUBLISH_TIMEOUT_MS,
    ...(config.KAFKA_TOPIC_AUTO_CREATE && { allowAutoTopicCreation: true }),
    topics: {
      create: config.KAFKA_TOPIC_CREATE,
      numPartitions: config.KAFKA_TOPIC_PARTITIONS,
      replicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR,
      retentionMs: config.KAFKA_TOPIC_RETENTION_MS,
      deadLetterRetentionMs: config.KAFKA_DLQ_RETENTION_MS,
    },
  };
}

/**
 * The PEM CA of DATABASE_SSL_CA_FILE, read at start so that a missing or non-PEM file stops the
 * start naming the variable; undefined when it is not set.
 */
export function databaseSslCa(config: { readonly DATABASE_SSL_CA_FILE?: string | undefined }, readFile: ReadFile = readFileSync): string | undefined {
  if (!config.DATABASE_SSL_CA_FILE) return undefined;
  const issues: ConfigIssue[] = [];
  const ca = readPem(config.DATABASE_SSL_CA_FILE, 'DATABASE_SSL_CA_FILE', issues, readFile);
  if (!ca) throw new ConfigError(issues);
  return ca.toString('utf8');
}

/** PEM contents for the gRPC server's TLS, or undefined when TLS_CERT_FILE is not set. */
export interface GrpcTlsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** CA that signs client certificates (mTLS), when TLS_CLIENT_CA_FILE is set. */
  readonly clientCa?: Buffer;
  readonly requireClientCert: boolean;
}

/**
 * Reads TLS_CERT_FILE, TLS_KEY_FILE and TLS_CLIENT_CA_FILE at start. Every unreadable or non-PEM
 * file is reported at once, by variable name, in a ConfigError.
 */
export function grpcTlsMaterial(
  config: Pick<PlatformConfig, 'TLS_CERT_FILE' | 'TLS_KEY_FILE' | 'TLS_CLIENT_CA_FILE' | 'TLS_REQUIRE_CLIENT_CERT'>,
  readFile: ReadFile = readFileSync,
): GrpcTlsMaterial | undefined {
  if (!config.TLS_CERT_FILE || !config.TLS_KEY_FILE) return undefined;
  const issues: ConfigIssue[] = [];
  const cert = readPem(config.TLS_CERT_FILE, 'TLS_CERT_FILE', issues, readFile);
  const key = readPem(config.TLS_KEY_FILE, 'TLS_KEY_FILE', issues, readFile);
  const clientCa = config.TLS_CLIENT_CA_FILE ? readPem(config.TLS_CLIENT_CA_FILE, 'TLS_CLIENT_CA_FILE', issues, readFile) : undefined;
  if (issues.length > 0 || !cert || !key) throw new ConfigError(issues);
  return { cert, key, ...(clientCa && { clientCa }), requireClientCert: config.TLS_REQUIRE_CLIENT_CERT };
}

/** Reads a PEM file named by `variable`; an unreadable or non-PEM file is added to `issues` by variable name. */
export function readPemVariable(path: string, variable: string, issues: ConfigIssue[], readFile: ReadFile = readFileSync): Buffer | undefined {
  return readPem(path, variable, issues, readFile);
}

function readPem(path: string, variable: string, issues: ConfigIssue[], readFile: ReadFile): Buffer | undefined {
  const text = readText(path, variable, issues, readFile);
  if (text === undefined) return undefined;
  if (!text.includes('-----BEGIN ')) {
    issues.push({ variable, message: `${path} is not a PEM file (no "-----BEGIN" line)` });
    return undefined;
  }
  return Buffer.from(text, 'utf8');
}

function readText(path: string, variable: string, issues: ConfigIssue[], readFile: ReadFile): string | undefined {
  try {
    return readFile(path).toString('utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    issues.push({ variable, message: `cannot read ${path}${code ? ` (${code})` : ''}` });
    return undefined;
  }
}
