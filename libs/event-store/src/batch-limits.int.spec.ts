import { randomBytes } from 'node:crypto';
import { defineProjection, rebuildProjection } from './projection';
import { useEventStoreDatabase } from './testing/event-store.fixture';

describe('batch limits and projection rebuild on a fresh database', () => {
  const env = useEventStoreDatabase('event_store_limits');

  it('caps a catch-up batch by bytes as well as by count, and still delivers every event once', async () => {
    // 40 events of about 20 kB each (random hex does not compress), 800 kB in all.
    for (let i = 0; i < 40; i++) await env.store.appendToStream('spectrum-1', [{ type: 'SpectrumRecorded', data: { i, samples: randomBytes(10_000).toString('hex') } }]);
    const batches: number[] = [];
    const seen: number[] = [];
    const sub = env.store.subscribe({ subscriptionId: 'spectra', batchSize: 1000, maxBatchBytes: 100_000 }, async (events) => {
      batches.push(events.length);
      seen.push(...events.map((e) => (e.data as { i: number }).i));
    });
    await sub.caughtUp;
    await sub.stop();
    expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => i));
    // Rows are kept while the bytes before them stay under the cap: 5 rows of ~20 kB per batch.
    expect(Math.max(...batches)).toBeLessThanOrEqual(6);
    expect(batches.length).toBeGreaterThanOrEqual(7);
  });

  it('delivers an event larger than the byte cap on its own instead of stalling', async () => {
    await env.store.appendToStream('spectrum-2', [{ type: 'SpectrumRecorded', data: { i: 0, samples: randomBytes(50_000).toString('hex') } }, { type: 'SpectrumRecorded', data: { i: 1, samples: '' } }]);
    const batches: number[] = [];
    const sub = env.store.subscribe({ subscriptionId: 'big', category: 'spectrum-2', maxBatchBytes: 1000 }, async (events) => void batches.push(events.length));
    await sub.caughtUp;
    await sub.stop();
    expect(batches).toEqual([1, 1]);
  });

  it('rejects a maxBatchBytes that is not a positive integer, naming the field', () => {
    expect(() => env.store.subscribe({ subscriptionId: 'x', maxBatchBytes: 0 }, async () => undefined)).toThrow(
      expect.objectContaining({ issues: [{ path: 'options.maxBatchBytes', message: expect.any(String) }] }),
    );
  });

  it('rebuilds a projection whose tables do not exist yet (init runs before reset)', async () => {
    const projection = defineProjection({
      name: 'spectrum-count',
      category: 'spectrum-',
      init: async (tx) => void (await tx.query('CREATE TABLE IF NOT EXISTS spectrum_count (stream text PRIMARY KEY, n int NOT NULL)')),
      reset: async (tx) => void (await tx.query('DELETE FROM spectrum_count')),
      handlers: {
        SpectrumRecorded: async (e, tx) =>
          void (await tx.query('INSERT INTO spectrum_count VALUES ($1, 1) ON CONFLICT (stream) DO UPDATE SET n = spectrum_count.n + 1', [e.streamId])),
      },
    });
    await expect(rebuildProjection(env.store, projection)).resolves.toMatchObject({ eventsApplied: 42 });
    expect((await env.pool.query('SELECT stream, n FROM spectrum_count ORDER BY stream')).rows).toEqual([{ stream: 'spectrum-1', n: 40 }, { stream: 'spectrum-2', n: 2 }]);
  });
});
