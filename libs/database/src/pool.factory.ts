import { databaseSslCa } from '@reflux/config';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import { pgConnectionSettings } from './pool.ssl';

export interface PgPoolOptions {
  /** DATABASE_URL (`postgres://user:pw@host:5432/db?sslmode=require`). */
  readonly url: string;
  /** PEM CA of the server certificate (DATABASE_SSL_CA_FILE); see pgConnectionSettings for the sslmode rules. */
  readonly sslCa?: string;
  /** Shown in `pg_stat_activity.application_name` (service name, `ingestion-migrate`). */
  readonly applicationName: string;
  /** DATABASE_POOL_MAX. Default 10. */
  readonly max?: number;
  /** Server-side `statement_timeout`, ms; 0 = none. Default 30 000. */
  readonly statementTimeoutMs?: number;
  /** Server-side `idle_in_transaction_session_timeout`, ms; 0 = none. Default 60 000. */
  readonly idleInTransactionTimeoutMs?: number;
  /** Wait for a connection (new or from the pool), ms. Default 10 000. */
  readonly connectionTimeoutMs?: number;
  /** Close connections idle for this long, ms. Default 30 000. */
  readonly idleTimeoutMs?: number;
  readonly logger?: Logger;
}

/**
 * A `pg` Pool for the service's own queries and for the event store. Timeouts are sent as startup
 * parameters, so they hold on every connection without an extra round trip. Errors of idle
 * clients (the server restarted, a network blip) are logged instead of crashing the process; the
 * pool replaces the broken connection on next use.
 */
export function createPgPool(options: PgPoolOptions): Pool {
  const pool = new Pool({
    ...pgConnectionSettings(options.url, options.sslCa),
    application_name: options.applicationName,
    max: options.max ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 60_000,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
  });
  pool.on('error', (error) => options.logger?.warn({ err: error }, 'idle PostgreSQL connection failed; it will be replaced'));
  return pool;
}

/** Pool options from the platform configuration; an unreadable DATABASE_SSL_CA_FILE throws the ConfigError naming it. */
export function pgPoolOptionsFromConfig(
  config: {
    readonly DATABASE_URL: string;
    readonly DATABASE_SSL_CA_FILE?: string;
    readonly SERVICE_NAME: string;
    readonly DATABASE_POOL_MAX: number;
    readonly DATABASE_STATEMENT_TIMEOUT_MS: number;
    readonly DATABASE_CONNECT_TIMEOUT_MS: number;
  },
  logger?: Logger,
): PgPoolOptions {
  const sslCa = databaseSslCa(config);
  return {
    url: config.DATABASE_URL,
    ...(sslCa !== undefined && { sslCa }),
    applicationName: config.SERVICE_NAME,
    max: config.DATABASE_POOL_MAX,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    connectionTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    logger,
  };
}

/** `SELECT 1` within `timeoutMs`: for readiness checks. */
export async function pingPostgres(pool: Pool, timeoutMs = 1_000): Promise<{ ok: boolean; latencyMs?: number; error?: string }> {
  const started = process.hrtime.bigint();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      pool.query('SELECT 1'),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no reply within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Number(process.hrtime.bigint() - started) / 1e6 };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
