import { DEFAULT_READ_LIMITS } from '../../domain/read-limits';
import { HistoryReader } from '../../application/history-reader';
import { createTestDatabase, openStack, tag, type IngestionStack } from '../../../test/fixture';

const MINUTE = 60_000;

describe('native rollup maintenance', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let stack: IngestionStack;
  let rawOnly: HistoryReader;
  beforeAll(async () => {
    db = await createTestDatabase('ingestion_rollups');
    stack = await openStack(db.url, [tag('TI-1'), tag('TI-2')]);
    rawOnly = new HistoryReader({ store: stack.storage.history, cache: { get: async () => new Map(), offer: async () => undefined }, catalog: stack.catalog }, DEFAULT_READ_LIMITS, false);
  });
  afterAll(async () => {
    await stack?.close();
    await db?.drop();
  });

  const state = async () => (await stack.pool.query<{ watermark: Date; folded_to: Date }>(`SELECT watermark, folded_to FROM ingestion_rollup_state`)).rows[0];
  const rollupRows = async (table: string) => (await stack.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

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
