import { Pool, type PoolClient } from 'pg';
import { createTestDatabase } from '@reflux/testing';
import { isRetriable } from '@reflux/decider';
import { PostgresEventStore } from './postgres-event-store';
import type { RecordedEvent } from './event-store.port';

async function waitFor(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('subscriptions', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('event_store_sub');
    pool = new Pool({ connectionString: db.url, max: 30 });
    store = new PostgresEventStore({ pool, pollIntervalMs: 60_000 });
    await store.migrate();
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await db.drop();
  });

  it('never skips an event whose transaction commits after a later-numbered one: each committed event exactly once, in (transaction, position) order, streams in version order', async () => {
    await pool.query('CREATE TABLE seen_once (event_id text PRIMARY KEY, global_position bigint NOT NULL)');
    const delivered: RecordedEvent[] = [];
    const smallBatches: RecordedEvent[] = [];
    const subscription = store.subscribe({ subscriptionId: 'ooo', batchSize: 50 }, async (events, tx) => {
      // The primary key turns a double-apply into a failed batch, which this test would notice.
      await tx.query('INSERT INTO seen_once SELECT * FROM unnest($1::text[], $2::bigint[])', [events.map((e) => e.eventId), events.map((e) => e.globalPosition)]);
      delivered.push(...events);
    });
    const second = store.subscribe({ subscriptionId: 'ooo-small', batchSize: 7 }, async (events) => {
      smallBatches.push(...events);
    });

    const writers = 10;
    const transactionsPerWriter = 30;
    let rolledBack = 0;
    const rolledBackIds = new Set<string>();
    const writer = async (w: number): Promise<void> => {
      for (let t = 0; t < transactionsPerWriter; t++) {
        const abort = Math.random() < 0.1;
        for (;;) {
          const client: PoolClient = await pool.connect();
          const ids: string[] = [];
          try {
            await client.query('BEGIN');
            // Several streams per transaction, locked in one global order (as applications must, to avoid deadlocks).
            const streams = [...new Set(Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () => `unit-${Math.floor(Math.random() * 6)}`))].sort();
            for (const [a, stream] of streams.entries()) {
              const events = Array.from({ length: 1 + Math.floor(Math.random() * 3) }, (_, i) => ({ type: 'ValvePositionChanged', data: { writer: w, t, a, i, openingPercent: Math.random() * 100 } }));
              await store.appendToStream(stream, events, { transaction: client });
              // Hold the transaction open with its positions allocated: later-numbered ones commit first.
              if (Math.random() < 0.5) await client.query('SELECT pg_sleep($1)', [Math.random() * 0.03]);
              else await sleep(Math.random() * 30);
            }
            const mine = await client.query<{ event_id: string }>('SELECT event_id FROM reflux_events WHERE transaction_id = pg_current_xact_id()');
            ids.push(...mine.rows.map((r) => r.event_id));
            await client.query(abort ? 'ROLLBACK' : 'COMMIT');
            if (abort) {
              rolledBack++;
              ids.forEach((id) => rolledBackIds.add(id));
            }
            break;
          } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            if (!isRetriable(error)) throw error;
          } finally {
            client.release();
          }
        }
      }
    };
    await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));

    const committed = await pool.query<{ event_id: string; global_position: string }>('SELECT event_id, global_position FROM reflux_events ORDER BY transaction_id, global_position');
    const expectedOrder = committed.rows.map((r) => r.event_id);
    await waitFor('both subscribers to see every committed event', () => delivered.length >= expectedOrder.length && smallBatches.length >= expectedOrder.length);
    await sleep(200); // anything delivered twice would show up now
    await subscription.stop();
    await second.stop();

    expect(rolledBack).toBeGreaterThan(0);
    expect(delivered.map((e) => e.eventId)).toEqual(expectedOrder);
    expect(smallBatches.map((e) => e.eventId)).toEqual(expectedOrder);
    expect(delivered.some((e) => rolledBackIds.has(e.eventId))).toBe(false);
    expect(Number((await pool.query('SELECT count(*) FROM seen_once')).rows[0].count)).toBe(expectedOrder.length);

    // Per stream: strictly increasing versions without gaps.
    const byStream = new Map<string, number[]>();
    for (const e of delivered) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e.streamVersion]);
    for (const versions of byStream.values()) expect(versions).toEqual(versions.map((_, i) => i));

    // The scenario really happened: delivery order is not global-position order.
    const positions = delivered.map((e) => e.globalPosition);
    const inversions = positions.filter((p, i) => i > 0 && p < positions[i - 1]).length;
    expect(inversions).toBeGreaterThan(0);
    expect(subscription.position()).toBe(delivered[delivered.length - 1].globalPosition);
  });

  it('orders transaction ids numerically across a decimal-digit boundary (9999 before 10000)', async () => {
    const current = async () => BigInt((await pool.query<{ x: string }>('SELECT pg_current_xact_id()::text AS x')).rows[0].x);
    let xid = await current();
    const boundary = 10n ** BigInt(xid.toString().length);
    // Each BEGIN/SELECT/COMMIT uses up one transaction id; stop well short of the boundary, because
    // other suites running at the same time use up ids of the same cluster too.
    const margin = 200n;
    while (xid < boundary - margin) {
      const n = Number(boundary - margin - xid < 500n ? boundary - margin - xid : 500n);
      await pool.query('BEGIN; SELECT pg_current_xact_id(); COMMIT; '.repeat(n));
      xid = await current();
    }
    // Then append one event per transaction until the ids have crossed the boundary.
    let appended = 0;
    while ((await current()) < boundary + 2n && appended < 2000) {
      await store.appendToStream('digits-1', [{ type: 'Tick', data: { i: appended } }]);
      appended++;
    }
    const ids = (await pool.query<{ t: string }>(`SELECT transaction_id::text AS t FROM reflux_events WHERE stream_id = 'digits-1' ORDER BY stream_version`)).rows.map((r) => r.t);
    expect(new Set(ids.map((t) => t.length)).size).toBe(2); // the boundary was crossed
    const seen: number[] = [];
    const subscription = store.subscribe({ subscriptionId: 'digits', category: 'digits-', batchSize: 100 }, async (events) => {
      seen.push(...events.map((e) => (e.data as { i: number }).i));
    });
    await subscription.caughtUp;
    await subscription.stop();
    expect(seen).toEqual(Array.from({ length: appended }, (_, i) => i));
  });

  it('wakes on NOTIFY instead of polling: a new event reaches an idle subscriber at once', async () => {
    const seen: RecordedEvent[] = [];
    const subscription = store.subscribe({ subscriptionId: 'live', category: 'live-' }, async (events) => {
      seen.push(...events);
    });
    await subscription.caughtUp;
    const started = Date.now();
    await store.appendToStream('live-1', [{ type: 'PumpStarted', data: { speedRpm: 1450 } }]);
    await waitFor('the live event', () => seen.length === 1, 5_000);
    expect(Date.now() - started).toBeLessThan(1_000); // the fallback poll is 60 s here
    await subscription.stop();
  });

  it('holds back events committed behind an older open transaction, then delivers them when it ends without a notification', async () => {
    const seen: RecordedEvent[] = [];
    const subscription = store.subscribe({ subscriptionId: 'horizon', category: 'horizon-' }, async (events) => {
      seen.push(...events);
    });
    await subscription.caughtUp;
    const old = await pool.connect();
    try {
      await old.query('BEGIN');
      await old.query('SELECT pg_current_xact_id()'); // an unrelated transaction that never appends
      await store.appendToStream('horizon-1', [{ type: 'PumpStopped', data: {} }]);
      await sleep(300);
      expect(seen).toHaveLength(0);
      await old.query('COMMIT');
    } finally {
      old.release();
    }
    await waitFor('the held-back event', () => seen.length === 1, 3_000);
    await subscription.stop();
  });

  it('delivers a held-back event soon after the silent transaction that held it ends, instead of after a grown backoff', async () => {
    let deliveredAt = 0;
    const subscription = store.subscribe({ subscriptionId: 'horizon-recheck', category: 'recheck-' }, async (events) => {
      if (events.length > 0) deliveredAt = Date.now();
    });
    await subscription.caughtUp;
    const old = await pool.connect();
    let endedAt = 0;
    try {
      await old.query('BEGIN');
      await old.query('SELECT pg_current_xact_id()');
      await store.appendToStream('recheck-1', [{ type: 'PumpStopped', data: {} }]);
      // half a second held back: a doubling backoff (2, 4, … 250 ms) would next look about 250 ms after the end
      await sleep(520);
      expect(deliveredAt).toBe(0);
      await old.query('COMMIT');
      endedAt = Date.now();
    } finally {
      old.release();
    }
    await waitFor('the held-back event', () => deliveredAt > 0, 3_000);
    // re-checked at a tenth of the time waited (52 ms here), plus the read
    expect(deliveredAt - endedAt).toBeLessThan(150);
    await subscription.stop();
  });

  it('filters by category and event types and moves its checkpoint past events it skips', async () => {
    const seen: RecordedEvent[] = [];
    await store.appendToStream('compressor-C1', [{ type: 'SurgeDetected', data: {} }, { type: 'SpeedChanged', data: { speedRpm: 9000 } }]);
    await store.appendToStream('turbine-T1', [{ type: 'SurgeDetected', data: {} }]);
    const subscription = store.subscribe({ subscriptionId: 'surges', category: 'compressor-', eventTypes: ['SurgeDetected'] }, async (events) => {
      seen.push(...events);
    });
    await subscription.caughtUp;
    expect(seen.map((e) => [e.streamId, e.type])).toEqual([['compressor-C1', 'SurgeDetected']]);
    await store.appendToStream('turbine-T1', [{ type: 'SurgeDetected', data: {} }]);
    await waitFor('checkpoint past the skipped event', async () => {
      const { rows } = await pool.query(
        `SELECT c.transaction_id > (SELECT max(transaction_id) FROM reflux_events) AS past FROM reflux_subscription_checkpoints c WHERE subscription_id = 'surges'`,
      );
      return rows[0]?.past === true;
    }, 5_000);
    expect(seen).toHaveLength(1);
    await subscription.stop();
  });

  it('lets two instances of one subscription share the work without handling any event twice', async () => {
    await store.appendToStream('shared-1', Array.from({ length: 500 }, (_, i) => ({ type: 'Tick', data: { i } })));
    const handled: number[] = [];
    const handler = async (events: readonly RecordedEvent[]) => {
      await sleep(2);
      handled.push(...events.map((e) => (e.data as { i: number }).i));
    };
    const a = store.subscribe({ subscriptionId: 'shared', category: 'shared-', batchSize: 20 }, handler);
    const b = store.subscribe({ subscriptionId: 'shared', category: 'shared-', batchSize: 20 }, handler);
    await Promise.all([a.caughtUp, b.caughtUp]);
    await Promise.all([a.stop(), b.stop()]);
    expect(handled).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });
});

describe('a subscriber that crashes mid-batch', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('event_store_crash');
    pool = new Pool({ connectionString: db.url, max: 10 });
    pool.on('error', () => undefined); // idle connections terminated on purpose below
    const store = new PostgresEventStore({ pool });
    await store.migrate();
    await pool.query('CREATE TABLE tank_totals (tank text PRIMARY KEY, measurements int NOT NULL, total_level_m float8 NOT NULL)');
    await pool.query('CREATE TABLE applied (event_id text NOT NULL, applied_by text NOT NULL)');
    for (let t = 0; t < 3; t++) {
      await store.appendToStream(`tank-${t}`, Array.from({ length: 100 }, (_, i) => ({ type: 'TankLevelMeasured', data: { levelM: i / 10 } })));
    }
    await store.close();
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const project = (label: string) => async (events: readonly RecordedEvent[], tx: PoolClient): Promise<void> => {
    for (const e of events) {
      await tx.query(
        `INSERT INTO tank_totals VALUES ($1, 1, $2) ON CONFLICT (tank) DO UPDATE SET measurements = tank_totals.measurements + 1, total_level_m = tank_totals.total_level_m + $2`,
        [e.streamId, (e.data as { levelM: number }).levelM],
      );
      await tx.query('INSERT INTO applied VALUES ($1, $2)', [e.eventId, label]);
    }
  };

  async function expectExactlyOnce(): Promise<void> {
    const { rows } = await pool.query('SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM applied');
    expect(rows[0]).toEqual({ n: 300, d: 300 });
    const totals = await pool.query('SELECT tank, measurements, round(total_level_m::numeric, 6)::float8 AS total FROM tank_totals ORDER BY tank');
    expect(totals.rows).toEqual([0, 1, 2].map((t) => ({ tank: `tank-${t}`, measurements: 100, total: 495 })));
  }

  beforeEach(async () => {
    await pool.query('TRUNCATE tank_totals, applied');
    await pool.query('DELETE FROM reflux_subscription_checkpoints');
  });

  it('rolls back the batch when the handler throws, and a restarted subscriber neither loses nor re-applies events', async () => {
    const first = new PostgresEventStore({ pool });
    let batches = 0;
    let crashed!: () => void;
    const crash = new Promise<void>((r) => (crashed = r));
    let dies!: (error: Error) => void;
    const death = new Promise<never>((_, reject) => (dies = reject));
    const apply = project('first');
    const sub = first.subscribe({ subscriptionId: 'totals', batchSize: 40 }, async (events, tx) => {
      batches++;
      await apply(events.slice(0, 10), tx); // half-written batch…
      if (batches === 4) {
        crashed();
        await death; // …then the process "dies" here
      }
      await apply(events.slice(10), tx);
    });
    await crash;
    // Kill: the stuck batch's connection is terminated, as it is when its process dies.
    await pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'`);
    dies(new Error('process killed'));
    await sub.stop();
    await first.close();
    const committed = (await pool.query('SELECT count(*)::int AS n FROM applied')).rows[0].n;
    expect(committed).toBe(120); // three whole batches of 40, nothing of the fourth

    const restarted = new PostgresEventStore({ pool });
    let failOnce = true;
    const applyAgain = project('restarted');
    const sub2 = restarted.subscribe({ subscriptionId: 'totals', batchSize: 40 }, async (events, tx) => {
      await applyAgain(events, tx);
      if (failOnce) {
        failOnce = false;
        throw new Error('historian timeout while enriching the batch');
      }
    });
    await sub2.caughtUp;
    await sub2.stop();
    await restarted.close();
    await expectExactlyOnce();
  });

  it('recovers when its connection is destroyed in the middle of a batch transaction', async () => {
    const store = new PostgresEventStore({ pool });
    let killed = false;
    const apply = project('killed');
    const sub = store.subscribe({ subscriptionId: 'totals-kill', batchSize: 64 }, async (events, tx) => {
      await apply(events.slice(0, 5), tx);
      if (!killed && events[0].streamId === 'tank-1') {
        killed = true;
        await tx.query('SELECT pg_terminate_backend(pg_backend_pid())');
      }
      await apply(events.slice(5), tx);
    });
    await sub.caughtUp;
    await sub.stop();
    await store.close();
    expect(killed).toBe(true);
    await expectExactlyOnce();
  });
});
