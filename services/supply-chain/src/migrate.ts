import { env, loadConfigOrExit } from '@reflux/config';
import { createPgPool } from '@reflux/database';
import { z } from 'zod';
import { migrateSupplyChain } from './adapters/postgres/supply-chain.migrations';

/**
 * `node -r ./scripts/register.cjs services/supply-chain/src/migrate.ts`: applies the event-store and
 * supply-chain schema migrations and exits (a Kubernetes Job before a rollout). The service runs the
 * same migrations at start; both are advisory-locked, so they may race safely.
 */
async function migrate(): Promise<void> {
  const config = loadConfigOrExit(z.object({ DATABASE_URL: env.url(['postgres', 'postgresql']) }));
  // No statement timeout: a migration may rewrite a large table.
  const pool = createPgPool({ url: config.DATABASE_URL, applicationName: 'supply-chain-migrate', max: 1, statementTimeoutMs: 0 });
  try {
    await migrateSupplyChain(pool);
    process.stdout.write(`${JSON.stringify({ level: 'info', time: new Date().toISOString(), service: 'supply-chain-migrate', msg: 'migrations applied' })}\n`);
  } finally {
    await pool.end();
  }
}

migrate().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), msg: 'migration failed', err: String((error as Error)?.stack ?? error) })}\n`);
  process.exit(1);
});
