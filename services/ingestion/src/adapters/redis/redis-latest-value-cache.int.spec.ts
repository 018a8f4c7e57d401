import type { Redis } from 'ioredis';
import { createRedisClient } from '@reflux/redis';
import { requireTestUrl } from '@reflux/testing';
import { RedisLatestValueCache } from './redis-latest-value-cache';

describe('RedisLatestValueCache', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = createRedisClient({ url: requireTestUrl('REFLUX_TEST_REDIS_URL', 'Redis') });
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('keeps the newest sample per tag across writers and never moves a tag back in time', async () => {
    const key = `test:latest:${process.pid}:${Date.now()}`;
    const a = new RedisLatestValueCache(redis, key);
    const b = new RedisLatestValueCache(redis, key);
    await a.offer([{ tagId: 'T1', timeMs: 2000, value: 2.5, quality: 0 }, { tagId: 'T2', timeMs: 10, value: -1e-7, quality: 0x80000000 }]);
    await b.offer([{ tagId: 'T1', timeMs: 1000, value: 1, quality: 0 }]);
    await b.offer([{ tagId: 'T2', timeMs: 20, value: 7, quality: 0x40000000 }]);
    const got = await a.get(['T1', 'T2', 'T3']);
    expect([...got.values()]).toEqual([
      { tagId: 'T1', timeMs: 2000, value: 2.5, quality: 0 },
      { tagId: 'T2', timeMs: 20, value: 7, quality: 0x40000000 },
    ]);
    await redis.del(key);
  });
});
