import pino from 'pino';
import { databaseSslCa, loadConfigOrExit } from '@reflux/config';
import { createPgPool } from '@reflux/database';
import { migrateEventStore } from '@reflux/event-store';
import { DEFAULT_STORAGE_OPTIONS, migrateIngestionSchema } from './adapters/postgres/ingestion.schema';
import { ingestionConfigSchema } from './ingestion.config';

/**
 * `node -r ./scripts/register.cjs services/ingestion/src/migrate.ts`: applies the event-store
 * migrations (outbox), detects TimescaleDB and applies the ingestion schema migrations (and, on TimescaleDB, the retention,
 * compression and refresh policies of the configuration), then exits (a Kubernetes Job / compose one-shot before the
 * service starts with DATABASE_MIGRATE_ON_START=false). Advisory-locked, so it may race replicas.
 */
async function migrate(): Promise<void> {
  const config = loadConfigOrExit(ingestionConfigSchema);
  const sslCa = databaseSslCa(config);
  // No statement timeout: a migration may rewrite a large table.
  const pool = createPgPool({ url: config.DATABASE_URL, ...(sslCa !== undefined && { sslCa }), applicationName: 'ingestion-migrate', max: 1, statementTimeoutMs: 0, connectionTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS });
  try {
    await migrateEventStore(pool);
    const mode = await migrateIngestionSchema(pool, {
      ...DEFAULT_STORAGE_OPTIONS,
      timescale: config.INGESTION_TIMESCALE,
      retentionDays: config.INGESTION_RETENTION_DAYS,
      compressAfterDays: config.INGESTION_COMPRESS_AFTER_DAYS,
      backfillHorizonS: config.INGESTION_BACKFILL_HORIZON_S,
    }, true, pino({ base: { service: config.SERVICE_NAME } }));
    process.stdout.write(`${JSON.stringify({ level: 'info', time: new Date().toISOString(), service: config.SERVICE_NAME, mode, msg: 'migrations applied' })}\n`);
  } finally {
    await pool.end();
  }
}

migrate().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), msg: 'ingestion migration failed', err: String((error as Error)?.stack ?? error) })}\n`);
  process.exit(1);
});
