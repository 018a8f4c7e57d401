import { createTestDatabase, openStack, tag, type IngestionStack } from '../../test/fixture';

const H = 3_600_000;

describe('aggregates over plant-local days', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let stack: IngestionStack;
  // 2026-10-24 00:00 CEST (22:00 UTC the day before) to 2026-10-27 00:00 CET: clocks go back on the 25th.
  const from = Date.UTC(2026, 9, 23, 22);
  const to = Date.UTC(2026, 9, 26, 23);
  beforeAll(async () => {
    db = await createTestDatabase('ingestion_local_days');
    stack = await openStack(db.url, [tag('FI-8', { unit: 'kg/s' })], { clock: () => to + H });
    // One sample per UTC hour, value = the hour's index (0, 1, 2, …).
    const samples = Array.from({ length: (to - from) / H }, (_, i) => ({ tagId: 'FI-8', timeMs: from + i * H, value: i }));
    await stack.writer.write({ clientBatchId: 'hours', samples });
  });
  afterAll(async () => {
    await stack?.close();
    await db?.drop();
  });

  it('buckets by local day in the plant time zone: 24, 25 and 24 hours around the autumn clock change', async () => {
    const days = (await stack.reader.readAggregates({ tagIds: ['FI-8'], fromMs: from, toMs: to, bucketS: 86_400, functions: ['count', 'avg', 'first', 'last', 'twa', 'coverage'], timeZone: 'Europe/Berlin' })).get('FI-8')!;
    expect(days.map((d) => [(d.endMs - d.startMs) / H, d.count, d.first, d.last])).toEqual([
      [24, 24, 0, 23],
      [25, 25, 24, 48],
      [24, 24, 49, 72],
    ]);
    expect(days[1]).toMatchObject({ startMs: Date.UTC(2026, 9, 24, 22), avg: 36, coverage: 1 });
    // Linear between hourly samples of a ramp: the average of the 25-hour day is its middle, 36.5.
    expect(days[1].twa).toBeCloseTo(36.5, 9);
    // Without a zone: UTC days of 24 hours.
    const utc = (await stack.reader.readAggregates({ tagIds: ['FI-8'], fromMs: Date.UTC(2026, 9, 24), toMs: Date.UTC(2026, 9, 26), bucketS: 86_400, functions: ['count'] })).get('FI-8')!;
    expect(utc.map((d) => d.count)).toEqual([24, 24]);
  });

  it('refuses an unknown zone and a bucket other than a day, naming the fields', async () => {
    await expect(stack.reader.readAggregates({ tagIds: ['FI-8'], fromMs: from, toMs: to, bucketS: 3600, functions: ['count'], timeZone: 'Europe/Berlin' })).rejects.toMatchObject({
      fieldViolations: [{ field: 'bucket_width', description: expect.stringContaining('one day') }],
    });
    await expect(stack.reader.readAggregates({ tagIds: ['FI-8'], fromMs: from, toMs: to, bucketS: 86_400, functions: ['count'], timeZone: 'Mars/Olympus' })).rejects.toMatchObject({
      fieldViolations: [{ field: 'time_zone' }],
    });
  });
});
