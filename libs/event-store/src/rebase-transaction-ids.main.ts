/**
 * Operator command, after restoring the event store into another cluster (see README, "After a
 * restore"): `node -r ./scripts/register.cjs libs/event-store/src/rebase-transaction-ids.main.ts <database-url>`
 * (or DATABASE_URL). Stop every service using the database first.
 */
import { Pool } from 'pg';
import { readTransactionIds, rebaseTransactionIds } from './event-store.transaction-ids';

async function main(): Promise<void> {
  const url = process.argv[2] ?? process.env.DATABASE_URL;
  if (!url) throw new Error('usage: rebase-transaction-ids.main.ts <database-url> (or set DATABASE_URL)');
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    const print = (what: string, value: unknown): boolean => process.stdout.write(`${what}: ${JSON.stringify(value)}\n`);
    print('before', await readTransactionIds(pool));
    print('rebased', await rebaseTransactionIds(pool));
    print('after', await readTransactionIds(pool));
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
