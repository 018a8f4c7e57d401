import type { Pool, PoolClient } from 'pg';
import { EVENT_STORE_ERROR_CODES, EventStoreError } from './event-store.errors';

/** How to get out of TRANSACTION_IDS_AHEAD; part of the error message. */
export const REBASE_HINT =
  'the database was probably restored from a dump or moved by logical replication into another cluster. ' +
  'Stop every service using this database, then run `node -r ./scripts/register.cjs libs/event-store/src/rebase-transaction-ids.main.ts <database-url>` ' +
  '(or call rebaseTransactionIds(pool)) once, and start again; see libs/event-store/README.md, "After a restore"';

export interface TransactionIdReport {
  /** The cluster's next transaction id (`pg_snapshot_xmax` of a current snapshot), decimal. */
  readonly nextTransactionId: string;
  readonly maxEventTransactionId: string | null;
  readonly maxCheckpointTransactionId: string | null;
  readonly maxStreamTransactionId: string | null;
}

const REPORT = `SELECT pg_snapshot_xmax(pg_current_snapshot())::text,
  (SELECT transaction_id FROM reflux_events ORDER BY transaction_id DESC LIMIT 1)::text,
  (SELECT transaction_id FROM reflux_subscription_checkpoints ORDER BY transaction_id DESC LIMIT 1)::text,
  (SELECT last_transaction_id FROM reflux_streams ORDER BY last_transaction_id DESC LIMIT 1)::text`;

/** Reads the largest stored transaction ids and the cluster's counter (index lookups; does not take a transaction id). */
export async function readTransactionIds(db: Pool | PoolClient): Promise<TransactionIdReport> {
  const { rows } = await db.query<[string, string | null, string | null, string | null]>({ text: REPORT, rowMode: 'array' });
  const [nextTransactionId, maxEventTransactionId, maxCheckpointTransactionId, maxStreamTransactionId] = rows[0];
  return { nextTransactionId, maxEventTransactionId, maxCheckpointTransactionId, maxStreamTransactionId };
}

/**
 * Refuses (EVENT_STORE.TRANSACTION_IDS_AHEAD) when any stored transaction id is at or beyond the
 * cluster's next transaction id. Subscriptions order and checkpoint by transaction id; after such a
 * move new events would sort behind stored checkpoints and never be delivered.
 */
export async function assertTransactionIdsBehindCluster(db: Pool | PoolClient): Promise<void> {
  const report = await readTransactionIds(db);
  const ahead = (
    [
      ['event', report.maxEventTransactionId],
      ['subscription checkpoint', report.maxCheckpointTransactionId],
      ['stream', report.maxStreamTransactionId],
    ] as const
  ).filter(([, id]) => id !== null && BigInt(id) >= BigInt(report.nextTransactionId));
  if (ahead.length === 0) return;
  throw new EventStoreError(
    EVENT_STORE_ERROR_CODES.TRANSACTION_IDS_AHEAD,
    `event store: stored transaction ids are ahead of this cluster's counter (next ${report.nextTransactionId}; ` +
      `${ahead.map(([what, id]) => `largest ${what} ${id}`).join(', ')}): refusing to start, since new events would sort behind stored checkpoints; ${REBASE_HINT}`,
    { details: { ...report } },
  );
}

export interface RebaseResult {
  readonly eventsRebased: number;
  readonly checkpointsRebased: number;
  /** Transaction ids consumed so that the cluster's counter passes the rebased ids. */
  readonly transactionIdsConsumed: number;
}

/*
 * Every stored transaction id t is replaced by a small number that keeps its order relative to the
 * distinct checkpoint ids c1 < c2 < … < cn: t = cj → 2j; cj < t < cj+1 → 2j + 1 (c0 = -∞). Which
 * events each checkpoint has handled is therefore unchanged, and the rebased ids are at most 2n + 1.
 * Events between two checkpoint ids now share one id and are ordered by global position, which keeps
 * every stream in version order (a stream's later versions have higher positions).
 */
const REBASE = [
  `CREATE TEMP TABLE reflux_rebase_checkpoints ON COMMIT DROP AS
     SELECT DISTINCT transaction_id AS tid FROM reflux_subscription_checkpoints`,
  `CREATE OR REPLACE FUNCTION pg_temp.reflux_rebased(t xid8) RETURNS xid8 LANGUAGE sql STABLE AS $$
     SELECT (2 * (SELECT count(*) FROM reflux_rebase_checkpoints WHERE tid < t)
             + CASE WHEN EXISTS (SELECT 1 FROM reflux_rebase_checkpoints WHERE tid = t) THEN 2 ELSE 1 END)::text::xid8
   $$`,
];

/**
 * The way out of TRANSACTION_IDS_AHEAD, after a restore into another cluster: rewrites the stored
 * transaction ids of events, checkpoints and streams to small values with the same order relative to
 * every checkpoint, then consumes transaction ids until the cluster's counter is past them. Run it
 * once with every service stopped (it takes ACCESS EXCLUSIVE locks on the event-store tables and
 * rewrites every event row). Safe to run again.
 */
export async function rebaseTransactionIds(pool: Pool): Promise<RebaseResult> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('LOCK TABLE reflux_events, reflux_streams, reflux_subscription_checkpoints IN ACCESS EXCLUSIVE MODE');
    for (const statement of REBASE) await client.query(statement);
    const events = await client.query('UPDATE reflux_events SET transaction_id = pg_temp.reflux_rebased(transaction_id)');
    const checkpoints = await client.query('UPDATE reflux_subscription_checkpoints SET transaction_id = pg_temp.reflux_rebased(transaction_id), updated_at = now()');
    await client.query(`UPDATE reflux_streams SET last_transaction_id = '0'`);
    const { rows } = await client.query<[string]>({ text: 'SELECT (2 * count(*) + 2)::text FROM reflux_rebase_checkpoints', rowMode: 'array' });
    await client.query('COMMIT');
    const highest = BigInt(rows[0][0]);
    let consumed = 0;
    // A restored cluster has usually used more ids than this already; consume the rest if not.
    while (BigInt((await readTransactionIds(client)).nextTransactionId) <= highest) {
      await client.query('SELECT pg_current_xact_id()');
      consumed++;
    }
    return { eventsRebased: events.rowCount ?? 0, checkpointsRebased: checkpoints.rowCount ?? 0, transactionIdsConsumed: consumed };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
