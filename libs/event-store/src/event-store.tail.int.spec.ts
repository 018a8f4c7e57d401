import { Pool } from 'pg';
import { createTestDatabase } from '@reflux/testing';
import { PostgresEventStore } from './postgres-event-store';
import type { Checkpoint } from './event-store.safe-read';
import { checkpointAtPosition, compareCheckpoints, headCheckpoint } from './event-store.tail';

async function waitFor(what: string, predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('log tail (read-only, caller-held checkpoint)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('event_store_tail');
    pool = new Pool({ connectionString: db.url, max: 20 });
    store = new PostgresEventStore({ pool, pollIntervalMs: 200 });
    await store.migrate();
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await db.drop();
  });

  it('delivers every committed event once in commit-safe order, a resume from any delivered position yields exactly the rest, and nothing is written', async () => {
    const checkpointsBefore = await pool.query('SELECT count(*)::int AS n FROM reflux_subscription_checkpoints');
    const seen: number[] = [];
    const keys: Checkpoint[] = [];
    const tail = store.tail({ from: await headCheckpoint(pool) }, (events, checkpoints) => {
      seen.push(...events.map((e) => e.globalPosition));
      keys.push(...checkpoints);
    });
    // Concurrent writers: one transaction holds a lower position while later ones commit first.
    const slow = await pool.connect();
    await slow.query('BEGIN');
    await store.appendToStream('tail-slow', [{ type: 'T', data: { n: 0 } }], { transaction: slow });
    for (let i = 1; i <= 20; i++) await store.appendToStream(`tail-${i % 3}`, [{ type: 'T', data: { n: i } }]);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toHaveLength(0); // held back behind the open transaction, never skipped
    await slow.query('COMMIT');
    slow.release();
    await waitFor('21 events', () => seen.length === 21);
    expect(new Set(seen).size).toBe(21);
    for (let i = 1; i < keys.length; i++) expect(compareCheckpoints(keys[i - 1], keys[i])).toBeLessThan(0);

    // Resume after the 7th delivered event: exactly the remaining 14, in the same order.
    const from = await checkpointAtPosition(pool, seen[6]);
    expect(from).toEqual(keys[6]);
    const rest = await store.reader().read(from!, 100);
    expect(rest.events.map((e) => e.globalPosition)).toEqual(seen.slice(7));
    expect(await checkpointAtPosition(pool, 987_654)).toBeUndefined();
    await tail.stop();
    const checkpointsAfter = await pool.query('SELECT count(*)::int AS n FROM reflux_subscription_checkpoints');
    expect(checkpointsAfter.rows[0].n).toBe(checkpointsBefore.rows[0].n);
  });
});
