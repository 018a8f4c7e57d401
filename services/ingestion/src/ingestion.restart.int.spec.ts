import type { Redis } from 'ioredis';
import { createRedisClient } from '@reflux/redis';
import { requireTestUrl, testStorageMode } from '@reflux/testing';
import { RedisLatestValueCache } from './adapters/redis/redis-latest-value-cache';
import { InMemoryTagCatalog } from './application/in-memory-tag-catalog';
import type { LatestValueCache } from './application/latest-value-cache.port';
import { startIngestionApp, type IngestionApp } from './ingestion.app';
import { createTestDatabase, logger, tag } from '../test/fixture';

// Exception reporting with a 0.5 degC deadband and at most 600 s between stored samples.
const tags = () => new InMemoryTagCatalog([tag('TI-1', { deadband: 0.5, exceptionMaxS: 600 }), tag('TI-2', { deadband: 0.5, exceptionMaxS: 600 }), tag('FI-1', { unit: 'kg/s' })]);
const T0 = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
const at = (tagId: string, s: number, value: number) => ({ tagId, timeMs: T0 + s * 1000, value });

describe('exception filter across restarts of the ingestion service', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: IngestionApp | undefined;
  beforeEach(async () => {
    db = await createTestDatabase('ingestion_restart');
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await db.drop();
  });

  const start = (cache?: LatestValueCache) =>
    startIngestionApp({
      databaseUrl: db.url,
      databasePoolMax: 4,
      storage: { timescale: testStorageMode() },
      grpc: { host: '127.0.0.1', port: 0, auth: { disabled: true } },
      catalog: tags(),
      logger,
      ...(cache && { cache }),
    });
  const stored = async (a: IngestionApp, tagId: string) =>
    (await a.reader.readRaw({ tagIds: [tagId], fromMs: T0 - 60_000, toMs: T0 + 3_600_000, pageSize: 100 })).samples.map((s) => [(s.timeMs - T0) / 1000, s.value]);

  it('holds back the first sample after a restart that lies within the deadband of the last stored one (seeded from the database)', async () => {
    app = await start();
    expect(await app.writer.write({ clientBatchId: 'before-1', samples: [at('TI-1', 0, 20), at('TI-1', 10, 20.3), at('TI-1', 20, 21)] })).toMatchObject({ acceptedCount: 3, filteredCount: 0 });
    // 10 s was held back, then stored with the move at 20 s.
    expect(await stored(app, 'TI-1')).toEqual([[0, 20], [10, 20.3], [20, 21]]);
    await app.stop();

    app = await start(); // a new process: empty in-process state and cache, same database
    const ack = await app.writer.write({ clientBatchId: 'after-1', samples: [at('TI-1', 30, 21.4), at('FI-1', 30, 7)] });
    expect(ack).toMatchObject({ acceptedCount: 2, filteredCount: 1 });
    expect(await stored(app, 'TI-1')).toEqual([[0, 20], [10, 20.3], [20, 21]]);
    // A move beyond the deadband from the stored 21 passes, with the held 21.4 before it.
    expect(await app.writer.write({ clientBatchId: 'after-2', samples: [at('TI-1', 40, 22)] })).toMatchObject({ acceptedCount: 1, filteredCount: 0 });
    expect(await stored(app, 'TI-1')).toEqual([[0, 20], [10, 20.3], [20, 21], [30, 21.4], [40, 22]]);
  });

  it('seeds from the shared Redis cache in one lookup per batch, for the tags without state only', async () => {
    const redis: Redis = createRedisClient({ url: requireTestUrl('REFLUX_TEST_REDIS_URL', 'Redis') });
    const key = `test:ingestion-restart:${process.pid}:${Date.now()}`;
    try {
      app = await start(new RedisLatestValueCache(redis, key));
      await app.writer.write({ clientBatchId: 'r-before', samples: [at('TI-1', 0, 20), at('TI-2', 0, 5), at('FI-1', 0, 1)] });
      await app.stop();
      expect(await new RedisLatestValueCache(redis, key).get(['TI-1', 'TI-2'])).toEqual(
        new Map([
          ['TI-1', { tagId: 'TI-1', timeMs: T0, value: 20, quality: 0 }],
          ['TI-2', { tagId: 'TI-2', timeMs: T0, value: 5, quality: 0 }],
        ]),
      );

      const lookups: string[][] = [];
      const redisCache = new RedisLatestValueCache(redis, key);
      const counting: LatestValueCache = {
        get: (ids) => (lookups.push([...ids]), redisCache.get(ids)),
        offer: (samples) => redisCache.offer(samples),
      };
      app = await start(counting);
      const samples = [at('TI-1', 10, 20.1), at('TI-1', 11, 20.2), at('TI-2', 10, 5.4), at('TI-2', 11, 6), at('FI-1', 10, 2)];
      expect(await app.writer.write({ clientBatchId: 'r-after-1', samples })).toMatchObject({ acceptedCount: 5, filteredCount: 2 });
      expect(await app.writer.write({ clientBatchId: 'r-after-2', samples: [at('TI-1', 12, 20.3), at('TI-2', 12, 6.2)] })).toMatchObject({ filteredCount: 2 });
      expect(lookups).toEqual([['TI-1', 'TI-2']]); // both cold tags at once, then none
      expect(await stored(app, 'TI-1')).toEqual([[0, 20]]);
      // TI-2 moved by 1.0 at 11 s: stored with the held 10 s sample.
      expect(await stored(app, 'TI-2')).toEqual([[0, 5], [10, 5.4], [11, 6]]);
    } finally {
      await redis.del(key);
      await redis.quit();
    }
  });
});
