import { createTestDatabase, materialiseRollups, openStack, tag, type IngestionStack } from '../../test/fixture';
import { severityOf, StatusCodes } from '../domain/quality';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const now = () => T0 + 2 * 3_600_000;
const at = (s: number) => T0 + s * 1000;
const U = StatusCodes.UncertainSubstituteValue;
const B = StatusCodes.BadSensorFailure;

describe('HistoryReader on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let stack: IngestionStack;
  beforeAll(async () => {
    db = await createTestDatabase('ingestion_reader');
    stack = await openStack(db.url, [tag('TI-1'), tag('XV-1', { stepped: true }), tag('TI-2'), tag('KB-1', { duplicatePolicy: 'keep-both' })], { clock: now });
    // Written out of order on purpose: minute 1 first, then minute 0 backwards, then a replacement.
    const w = (id: string, n: string, samples: [number, number, number?][]) =>
      stack.writer.write({ clientBatchId: `${id}-${n}`, samples: samples.map(([s, value, quality]) => ({ tagId: id, timeMs: at(s), value, quality })) });
    for (const id of ['TI-1', 'XV-1']) await w(id, 'm1', [[90, 100, B], [60, 40, U]]);
    // The rollups hold minute 1 (a refresh policy or fold ran): what follows arrives late.
    await materialiseRollups(stack);
    for (const id of ['TI-1', 'XV-1']) {
      await w(id, 'm0-late', [[40, 30]]);
      await w(id, 'm0-early', [[20, 20], [0, 10]]);
      await w(id, 'fix', [[20, 50]]);
    }
  });
  afterAll(async () => {
    await stack?.close();
    await db?.drop();
  });

  // After the writes each tag holds 0 s:10, 20 s:50 (replaced 20), 40 s:30, 60 s:40 (uncertain), 90 s:100 (bad).

  it('computes 1-minute and 1-hour statistics from the rollups equal to hand-computed values, after out-of-order writes and a replacement, before and after the queued buckets are recomputed', async () => {
    const rawOnly = stack.rawOnlyReader;
    const minutes = { tagIds: ['TI-1'], fromMs: T0, toMs: at(120), bucketS: 60, functions: ['avg' as const] };
    const hours = { tagIds: ['TI-1'], fromMs: T0, toMs: T0 + 3_600_000, bucketS: 3600, functions: ['avg' as const] };
    const expectedMinutes = [
      { startMs: T0, endMs: at(60), count: 3, avg: 30, min: 10, max: 50, first: 10, last: 30 },
      { startMs: at(60), endMs: at(120), count: 2, avg: 40, min: 40, max: 40, first: 40, last: 40 },
    ];
    const expectedHour = [{ startMs: T0, endMs: T0 + 3_600_000, count: 5, avg: 32.5, min: 10, max: 50, first: 10, last: 40 }];
    // Queued buckets (the writes lie before the rollup watermark) are read from raw samples meanwhile.
    expect((await stack.reader.readAggregates(minutes)).get('TI-1')).toEqual(expectedMinutes);
    expect((await stack.reader.readAggregates(hours)).get('TI-1')).toEqual(expectedHour);
    await stack.storage.lateBuckets.recomputeDirty();
    const { rows } = await stack.pool.query(
      `SELECT (SELECT count(*)::int FROM ingestion_rollup_1m WHERE tag_id = 'TI-1') AS minutes, (SELECT count(*)::int FROM ingestion_rollup_dirty) AS queued`,
    );
    expect(rows[0]).toEqual({ minutes: 2, queued: 0 });
    expect((await stack.reader.readAggregates(minutes)).get('TI-1')).toEqual(expectedMinutes);
    expect((await stack.reader.readAggregates(hours)).get('TI-1')).toEqual(expectedHour);
    expect((await rawOnly.readAggregates(minutes)).get('TI-1')).toEqual(expectedMinutes);
  });

  it('takes first and last among samples sharing a time by write order (keep-both), skipping bad ones, from raw samples and rollups alike', async () => {
    const w = (n: string, samples: [number, number, number?][]) =>
      stack.writer.write({ clientBatchId: `KB-1-${n}`, samples: samples.map(([s, value, quality]) => ({ tagId: 'KB-1', timeMs: at(s), value, quality })) });
    await w('a', [[0, 1, B], [0, 5], [30, 7]]);
    await w('b', [[0, 6], [30, 8], [30, 9, B]]);
    const query = { tagIds: ['KB-1'], fromMs: T0, toMs: at(60), bucketS: 60, functions: ['avg' as const] };
    const expected = [{ startMs: T0, endMs: at(60), count: 6, avg: 6.5, min: 5, max: 8, first: 5, last: 8 }];
    const rawOnly = stack.rawOnlyReader;
    expect((await rawOnly.readAggregates(query)).get('KB-1')).toEqual(expected);
    await stack.storage.lateBuckets.recomputeDirty();
    expect((await stack.reader.readAggregates(query)).get('KB-1')).toEqual(expected);
  });

  it('computes time-weighted averages: linear for continuous tags, step for stepped ones, ignoring bad samples', async () => {
    const r = await stack.reader.readAggregates({ tagIds: ['TI-1', 'XV-1'], fromMs: T0, toMs: at(120), bucketS: 60, functions: ['twa'] });
    // Linear: (10+50)/2·20 + (50+30)/2·20 + (30+40)/2·20 = 2100 over 60 s → 35; minute 1 holds 40.
    expect(r.get('TI-1')!.map((b) => b.twa)).toEqual([35, 40]);
    // Step: 10·20 + 50·20 + 30·20 = 1800 over 60 s → 30.
    expect(r.get('XV-1')!.map((b) => b.twa)).toEqual([30, 40]);
  });

  it('interpolates at instants from usable neighbours, with the quality of the worse one, and gives no value from a Bad sample on', async () => {
    const r = await stack.reader.readInterpolated({ tagIds: ['TI-1', 'XV-1'], instantsMs: [at(-1), at(10), at(50), at(70), at(90), at(100)] });
    const linear = r.get('TI-1')!;
    // 70 s lies between the uncertain 40 and the Bad sample at 90 s: the 40 is held, not run towards the Bad value.
    expect(linear.map((v) => v.value)).toEqual([undefined, 30, 35, 40, undefined, undefined]);
    expect(linear.map((v) => severityOf(v.quality))).toEqual(['bad', 'good', 'uncertain', 'uncertain', 'bad', 'bad']);
    expect(linear[0].quality).toBe(StatusCodes.BadNoData);
    expect(linear[5].quality).toBe(B);
    expect(r.get('XV-1')!.map((v) => v.value)).toEqual([undefined, 10, 30, 40, undefined, undefined]);
  });

  it('measures coverage and good share by time: the minute ending in a Bad sample is half covered and not good', async () => {
    const r = await stack.reader.readAggregates({ tagIds: ['TI-1'], fromMs: T0, toMs: at(120), bucketS: 60, functions: ['twa', 'coverage', 'goodShare'] });
    // Minute 1: uncertain 40 from 60 s to the Bad sample at 90 s, then nothing.
    expect(r.get('TI-1')!.map((b) => [b.twa, b.coverage, b.goodShare])).toEqual([
      [35, 1, 1],
      [40, 0.5, 0],
    ]);
  });

  it('ends good data at a stored outage: a meter that loses communication at 10:05 covers 5 of the 60 minutes of the hour', async () => {
    const H = Date.UTC(2026, 10, 20, 10, 0, 0);
    const outageStack = await openStack(db.url, [tag('FI-9')], { clock: () => H + 3_600_000 });
    try {
      const samples = [0, 1, 2, 3, 4].map((m) => ({ tagId: 'FI-9', timeMs: H + m * 60_000, value: 100 }));
      const ack = await outageStack.writer.write({
        clientBatchId: 'outage',
        samples: [...samples, { tagId: 'FI-9', timeMs: H + 5 * 60_000, value: Number.NaN, quality: StatusCodes.BadNoCommunication }],
      });
      expect(ack).toMatchObject({ acceptedCount: 6, rejected: [] });
      const functions = ['twa' as const, 'coverage' as const, 'goodShare' as const, 'count' as const];
      const hour = (await outageStack.reader.readAggregates({ tagIds: ['FI-9'], fromMs: H, toMs: H + 3_600_000, bucketS: 3600, functions })).get('FI-9')!;
      expect(hour).toEqual([expect.objectContaining({ count: 6, twa: 100, coverage: 5 / 60, goodShare: 5 / 60 })]);
      // What balancing reads (12 sub-windows of 5 minutes): only the first holds a value.
      const spread = (await outageStack.reader.readAggregates({ tagIds: ['FI-9'], fromMs: H, toMs: H + 3_600_000, bucketS: 300, functions })).get('FI-9')!;
      expect(spread.filter((b) => b.twa !== undefined).map((b) => [b.startMs - H, b.coverage])).toEqual([[0, 1]]);
      expect(spread.reduce((a, b) => a + (b.coverage ?? 0) * 300, 0) / 3600).toBeCloseTo(5 / 60, 12);
      const edges = (await outageStack.reader.readInterpolated({ tagIds: ['FI-9'], instantsMs: [H + 4.5 * 60_000, H + 3_600_000] })).get('FI-9')!;
      expect(edges).toEqual([{ timeMs: H + 4.5 * 60_000, value: 100, quality: 0 }, { timeMs: H + 3_600_000, quality: StatusCodes.BadNoCommunication }]);
    } finally {
      await outageStack.close();
    }
  });

  it('returns the latest sample of each tag, of any quality', async () => {
    const latest = await stack.reader.getLatest(['TI-1', 'TI-2']);
    expect(latest).toEqual([{ tagId: 'TI-1', timeMs: at(90), value: 100, quality: B }]);
  });

  it('pages raw samples with a token until the range is exhausted', async () => {
    const samples = Array.from({ length: 25 }, (_, i) => ({ tagId: 'TI-2', timeMs: at(1000 + i), value: i }));
    await stack.writer.write({ clientBatchId: 'paging', samples });
    const seen: number[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const page = await stack.reader.readRaw({ tagIds: ['TI-2'], fromMs: at(1000), toMs: at(2000), pageSize: 10, pageToken });
      seen.push(...page.samples.map((s) => s.value));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken);
    expect(pages).toBe(3);
    expect(seen).toEqual(samples.map((s) => s.value));
  });

  it('refuses reads beyond the limits, naming each offending field', async () => {
    const tooMany = Array.from({ length: 1001 }, (_, i) => `T${i}`);
    await expect(stack.reader.readRaw({ tagIds: tooMany, fromMs: T0, toMs: T0 - 1, pageSize: 0, pageToken: 'garbage' })).rejects.toMatchObject({
      code: 'INGESTION.INVALID_REQUEST',
      fieldViolations: [
        { field: 'tag_ids', description: expect.stringContaining('at most 1000') },
        { field: 'to', description: 'must be later than from' },
        { field: 'page_size', description: expect.any(String) },
        { field: 'page_token', description: expect.any(String) },
      ],
    });
    await expect(stack.reader.readAggregates({ tagIds: ['TI-1'], fromMs: 0, toMs: 400 * 86_400_000, bucketS: 1, functions: ['median' as never] })).rejects.toMatchObject({
      fieldViolations: [
        { field: 'to', description: expect.stringContaining('range must not exceed') },
        { field: 'bucket_s', description: expect.stringContaining('exceeds') },
        { field: 'functions[0]', description: expect.any(String) },
      ],
    });
    await expect(stack.reader.readInterpolated({ tagIds: ['TI-1'], instantsMs: [] })).rejects.toMatchObject({ fieldViolations: [{ field: 'times' }] });
  });
});
