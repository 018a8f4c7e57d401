import { createTestDatabase, openStack, tag, type IngestionStack } from '../../test/fixture';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

describe('swinging-door compression configured per tag, on the write path', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let stack: IngestionStack;
  beforeAll(async () => {
    db = await createTestDatabase('ingestion_compression');
    stack = await openStack(db.url, [tag('TI-5', { compression: { deviation: 0.5, maxIntervalS: 3600 } }), tag('TI-6')], { clock: () => T0 + 7_200_000 });
  });
  afterAll(async () => {
    await stack?.close();
    await db?.drop();
  });

  it('stores only the door points, counts the rest as filtered, and interpolation of what is stored stays within the deviation of every sample sent', async () => {
    // A warm-up ramp, a plateau with noise inside the deviation, and a step down.
    const values = Array.from({ length: 600 }, (_, i) => (i < 200 ? 50 + i * 0.1 : i < 400 ? 70 + 0.3 * Math.sin(i) : 60 + 0.2 * Math.cos(i)));
    const samples = values.map((value, i) => ({ tagId: 'TI-5', timeMs: T0 + i * 1000, value }));
    let filtered = 0;
    for (let b = 0; b < 6; b++) filtered += (await stack.writer.write({ clientBatchId: `c-${b}`, samples: samples.slice(b * 100, b * 100 + 100) })).filteredCount;
    const { samples: stored } = await stack.reader.readRaw({ tagIds: ['TI-5'], fromMs: T0, toMs: T0 + 600_000, pageSize: 1000 });
    expect(stored.length).toBeLessThan(40);
    // filteredCount counts a sample held at its batch; a snapshot a later batch archives is not
    // subtracted again (as for exception filtering): at most one per later batch.
    expect(filtered).toBeGreaterThanOrEqual(600 - stored.length);
    expect(filtered).toBeLessThanOrEqual(600 - stored.length + 5);
    const lastStored = stored[stored.length - 1]!.timeMs;
    const inside = samples.filter((s) => s.timeMs <= lastStored);
    const interpolated = (await stack.reader.readInterpolated({ tagIds: ['TI-5'], instantsMs: inside.map((s) => s.timeMs) })).get('TI-5')!;
    const worst = Math.max(...inside.map((s, i) => Math.abs(interpolated[i]!.value! - s.value)));
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-9);
  });

  it('leaves tags without compression settings alone', async () => {
    const ack = await stack.writer.write({ clientBatchId: 'plain', samples: [1, 1, 1].map((value, i) => ({ tagId: 'TI-6', timeMs: T0 + i * 1000, value })) });
    expect(ack.filteredCount).toBe(0);
  });
});
