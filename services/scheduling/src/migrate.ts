import { env, loadConfigOrExit } from '@reflux/config';
import { createPgPool } from '@reflux/database';
import { z } from 'zod';
import { migrateScheduling } from './adapters/postgres/scheduling.migrations';

/**
 * `node -r ./scripts/register.cjs services/scheduling/src/migrate.ts`: applies the event-store and
 * scheduling schema migrations and exits (a Kubernetes Job before a rollout). The service runs the
 * same migrations at start; both are advisory-locked, so they may race safely.
 */
async function migrate(): Promise<void> {
  const config = loadConfigOrExit(z.object({ DATABASE_URL: env.url(['postgres', 'postgresql']) }));
  // No statement timeout: a migration may rewrite a large table.
  const pool = createPgPool({ url: config.DATABASE_URL, applicationName: 'scheduling-migrate', max: 1, statementTimeoutMs: 0 });
  try {
    await migrateScheduling(pool);
    process.stdout.write(`${JSON.stringify({ level: 'info', time: new Date().toISOString(), service: 'scheduling-migrate', msg: 'migrations applied' })}\n`);
  } finally {
    await pool.end();
  }
}

migrate().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), msg: 'migration failed', err: String((error as Error)?.stack ?? error) })}\n`);
  process.exit(1);
});
