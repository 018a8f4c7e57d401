import pino from 'pino';
import type { Sample } from '../domain/sample';
import { CachedLatestSamples } from './cached-latest-samples';
import { InProcessLatestValueCache } from './in-process-latest-value-cache';
import type { LatestValueCache } from './latest-value-cache.port';

const logger = pino({ level: 'silent' });
const sample = (tagId: string, timeMs: number, value: number): Sample => ({ tagId, timeMs, value, quality: 0 });

/** A database stand-in that records which tags it was asked for. */
function store(rows: Sample[]) {
  const asked: string[][] = [];
  return {
    asked,
    latest: async (ids: readonly string[]) => {
      asked.push([...ids]);
      return new Map(rows.filter((r) => ids.includes(r.tagId)).map((r) => [r.tagId, r]));
    },
  };
}

describe('CachedLatestSamples', () => {
  it('answers from the cache and asks the database once for the misses, offering its answers to the cache', async () => {
    const cache = new InProcessLatestValueCache();
    await cache.offer([sample('A', 1000, 1)]);
    const db = store([sample('A', 500, 0), sample('B', 2000, 2)]);
    const latest = new CachedLatestSamples(cache, db, logger);
    expect(await latest.latest(['A', 'B', 'C'])).toEqual(new Map([['A', sample('A', 1000, 1)], ['B', sample('B', 2000, 2)]]));
    expect(db.asked).toEqual([['B', 'C']]);
    expect(await cache.get(['B'])).toEqual(new Map([['B', sample('B', 2000, 2)]]));
    await latest.latest(['A', 'B']);
    expect(db.asked).toHaveLength(1);
  });

  it('reads every tag from the database when the cache is unreachable', async () => {
    const down: LatestValueCache = { get: async () => Promise.reject(new Error('ECONNREFUSED')), offer: async () => Promise.reject(new Error('ECONNREFUSED')) };
    const db = store([sample('A', 500, 3)]);
    expect(await new CachedLatestSamples(down, db, logger).latest(['A', 'B'])).toEqual(new Map([['A', sample('A', 500, 3)]]));
    expect(db.asked).toEqual([['A', 'B']]);
  });

  it('asks nobody for no tags', async () => {
    const db = store([]);
    expect((await new CachedLatestSamples(new InProcessLatestValueCache(), db, logger).latest([])).size).toBe(0);
    expect(db.asked).toEqual([]);
  });
});
