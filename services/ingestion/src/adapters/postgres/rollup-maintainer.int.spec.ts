import type { HistoryReader } from '../../application/history-reader';
import { createTestDatabase, openStack, tag, type IngestionStack } from '../../../test/fixture';
import { ROLLUP_LOCK } from './sql-fragments';

const MINUTE = 60_000;

/** A stack with two tags on its own database for the describe block, and rollup-state queries. */
function rollupSuite(prefix: string) {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let stack: IngestionStack;
  beforeAll(async () => {
    db = await createTestDatabase(prefix);
    stack = await openStack(db.url, [tag('TI-1'), tag('TI-2')], { storage: { timescale: 'native' } });
  });
  afterAll(async () => {
    await stack?.close();
    await db?.drop();
  });
  return {
    current: () => ({ stack, rawOnly: stack.rawOnlyReader }),
    state: async () => (await stack.pool.query<{ watermark: Date; folded_to: Date }>(`SELECT watermark, folded_to FROM ingestion_rollup_state`)).rows[0],
    rollupRows: async (table: string) => (await stack.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number,
  };
}

describe('native rollup maintenance', () => {
  const { state, rollupRows, current } = rollupSuite('ingestion_rollups');
  let stack: IngestionStack;
  let rawOnly: HistoryReader;
  beforeEach(() => ({ stack, rawOnly } = current()));

  it('writes on-time samples without touching the rollups, folds them once closed, and reads the same statistics before and after', async () => {
    const { watermark } = await state();
    const start = watermark.getTime();
    const samples = Array.from({ length: 120 }, (_, i) => ({ tagId: i % 2 ? 'TI-1' : 'TI-2', timeMs: start + i * 1000, value: i, quality: i % 7 === 0 ? 0x40000000 : 0 }));
    await stack.writer.write({ clientBatchId: 'on-time', samples });
    expect(await rollupRows('ingestion_rollup_1m')).toBe(0);
    expect(await rollupRows('ingestion_rollup_dirty')).toBe(0);

    const q = { tagIds: ['TI-1', 'TI-2'], fromMs: start - 60 * MINUTE, toMs: start + 60 * MINUTE, bucketS: 60, functions: ['avg' as const] };
    const beforeFold = await stack.reader.readAggregates(q);
    const folded = await stack.storage.rollups!.fold(start + 10 * MINUTE);
    expect(folded.getTime()).toBe(start + 8 * MINUTE);
    expect(await rollupRows('ingestion_rollup_1m')).toBe(4);
    expect(await rollupRows('ingestion_rollup_1h')).toBeGreaterThanOrEqual(2);
    const afterFold = await stack.reader.readAggregates(q);
    expect(afterFold).toEqual(beforeFold);
    expect(afterFold).toEqual(await rawOnly.readAggregates(q));
    expect(afterFold.get('TI-1')![0]).toMatchObject({ startMs: start, count: 30, avg: 30 });
  });

  it('queues the bucket of a late sample, reads it exactly while queued, and recomputes it in bulk', async () => {
    const { folded_to } = await state();
    const late = folded_to.getTime() - 5 * MINUTE + 500;
    const q = { tagIds: ['TI-1'], fromMs: folded_to.getTime() - 3 * 3_600_000, toMs: folded_to.getTime(), bucketS: 3600, functions: ['avg' as const] };
    const hoursQ = { ...q, fromMs: Math.floor(q.fromMs / 3_600_000) * 3_600_000, toMs: Math.floor(q.toMs / 3_600_000) * 3_600_000 };
    // Hold the maintenance lock so the queued bucket stays queued while we read.
    const holder = await stack.pool.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT pg_advisory_xact_lock(hashtext('reflux_ingestion_rollup_maintenance'))`);
    try {
      await stack.writer.write({ clientBatchId: 'late', samples: [{ tagId: 'TI-1', timeMs: late, value: -1000 }] });
      expect(await rollupRows('ingestion_rollup_dirty')).toBe(1);
      for (const query of [q, hoursQ]) {
        const whileQueued = await stack.reader.readAggregates(query);
        expect(whileQueued).toEqual(await rawOnly.readAggregates(query));
      }
      expect((await stack.reader.readAggregates(q)).get('TI-1')!.map((b) => b.min)).toContain(-1000);
    } finally {
      await holder.query('COMMIT');
      holder.release();
    }
    await stack.storage.rollups!.recomputeDirty();
    expect(await rollupRows('ingestion_rollup_dirty')).toBe(0);
    expect(await stack.reader.readAggregates(q)).toEqual(await rawOnly.readAggregates(q));
    const { rows } = await stack.pool.query(`SELECT value_min FROM ingestion_rollup_1m WHERE tag_id = 'TI-1' AND bucket = $1`, [new Date(Math.floor(late / MINUTE) * MINUTE)]);
    expect(rows[0].value_min).toBe(-1000);
  });
});

describe('native rollup maintenance in slices', () => {
  const { state, rollupRows, current } = rollupSuite('ingestion_rollup_slices');
  let stack: IngestionStack;
  let rawOnly: HistoryReader;
  beforeEach(() => ({ stack, rawOnly } = current()));

  it('folds in slices of data time to the same rollups as at once, and corrects a minute that a late sample reached after it was sliced', async () => {
    const { watermark } = await state();
    const start = watermark.getTime();
    // Three minutes of 2 tags at 1 s, with a bad sample at the start of each minute (never first/last).
    const samples = Array.from({ length: 360 }, (_, i) => {
      const s = Math.floor(i / 2);
      return { tagId: i % 2 ? 'TI-1' : 'TI-2', timeMs: start + s * 1000, value: (s * 37) % 101, quality: s % 60 === 0 ? 0x80000000 : 0 };
    });
    await stack.writer.write({ clientBatchId: 'sliced', samples });
    const q = { tagIds: ['TI-1', 'TI-2'], fromMs: start, toMs: start + 3 * MINUTE, bucketS: 60, functions: ['avg' as const] };
    const expected = await rawOnly.readAggregates(q);
    const sliced = async () => (await stack.pool.query<{ sliced_to: Date }>(`SELECT sliced_to FROM ingestion_rollup_state`)).rows[0].sliced_to.getTime();

    // 25 s of data per call: minute 0 is complete after the third call.
    const now = start + 3 * MINUTE + 130_000;
    expect((await stack.storage.rollups!.fold(now, 25_000)).getTime()).toBe(start);
    expect(await sliced()).toBe(start + 25_000);
    await stack.storage.rollups!.fold(now, 25_000);
    // A late sample in the already sliced part of minute 0: queued, read from raw samples meanwhile.
    await stack.writer.write({ clientBatchId: 'late-into-slice', samples: [{ tagId: 'TI-1', timeMs: start + 10_500, value: 500 }] });
    const expectedLate = await rawOnly.readAggregates(q);
    expect(expectedLate.get('TI-1')![0].max).toBe(500);
    expect((await stack.storage.rollups!.fold(now, 25_000)).getTime()).toBe(start + MINUTE);
    expect(await stack.reader.readAggregates(q)).toEqual(expectedLate);
    // Queued entries of minutes not yet folded wait; the folded minute is recomputed exactly.
    await stack.storage.rollups!.recomputeDirty();
    expect(await rollupRows('ingestion_rollup_dirty')).toBe(0);
    for (let i = 0; i < 6; i++) await stack.storage.rollups!.fold(now, 25_000);
    expect(await sliced()).toBe(start + 3 * MINUTE);
    expect(await rollupRows('ingestion_rollup_open')).toBe(0);
    const folded = await stack.reader.readAggregates(q);
    expect(folded).toEqual(expectedLate);
    expect(folded.get('TI-2')).toEqual(expected.get('TI-2'));
    // The rollup rows themselves (not raw reads) hold the statistics.
    const { rows } = await stack.pool.query(`SELECT sample_count::int AS n, value_max AS max FROM ingestion_rollup_1m WHERE tag_id = 'TI-1' AND bucket = $1`, [new Date(start)]);
    expect(rows[0]).toEqual({ n: 61, max: 500 });
  });

  it('takes the writers\' lock only when the watermark moves to a new minute', async () => {
    const lagMs = 120_000; // DEFAULT_STORAGE_OPTIONS.rollupLagS
    const { watermark } = await state();
    const w = watermark.getTime();
    // A writer transaction in progress (it holds the rollup lock shared until it ends).
    const writer = await stack.pool.connect();
    await writer.query('BEGIN');
    await writer.query(`SELECT pg_advisory_xact_lock_shared(${ROLLUP_LOCK})`);
    try {
      const settledWithin = async (p: Promise<unknown>, ms: number) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
      // Same minute: the fold runs beside the writer.
      expect(await settledWithin(stack.storage.rollups!.fold(w + lagMs + 30_000, 1_000), 5_000)).toBe(true);
      // The next minute: the watermark waits for the writer to finish, and then moves.
      const moving = stack.storage.rollups!.fold(w + lagMs + MINUTE, 1_000);
      expect(await settledWithin(moving, 500)).toBe(false);
      await writer.query('COMMIT');
      await moving;
      expect((await state()).watermark.getTime()).toBe(w + MINUTE);
    } finally {
      await writer.query('ROLLBACK').catch(() => undefined);
      writer.release();
    }
  });
});
