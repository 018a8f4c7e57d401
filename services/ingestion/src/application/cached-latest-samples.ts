import type { Logger } from 'pino';
import type { Sample } from '../domain/sample';
import type { LatestSampleSource } from './latest-sample-source.port';
import type { LatestValueCache } from './latest-value-cache.port';
import type { SampleHistoryStore } from './sample-store.port';

/**
 * Latest samples in bulk the way GetLatest reads them: one `get` from the latest-value cache (Redis
 * when configured, shared by the replicas; else this process's memory), one database query for the
 * tags it misses, whose answers are offered back to the cache. An unreachable cache is logged and
 * bypassed: the database answers for every tag.
 */
export class CachedLatestSamples implements LatestSampleSource {
  constructor(
    private readonly cache: LatestValueCache,
    private readonly store: Pick<SampleHistoryStore, 'latest'>,
    private readonly logger: Logger,
  ) {}

  async latest(tagIds: readonly string[]): Promise<ReadonlyMap<string, Sample>> {
    if (tagIds.length === 0) return new Map();
    let cached: ReadonlyMap<string, Sample> = new Map();
    try {
      cached = await this.cache.get(tagIds);
    } catch (error) {
      this.logger.warn({ err: error, tags: tagIds.length }, 'latest-value cache unavailable; reading latest samples from the database');
    }
    const missing = tagIds.filter((id) => !cached.has(id));
    if (missing.length === 0) return cached;
    const fromDb = await this.store.latest(missing);
    if (fromDb.size > 0) {
      await this.cache.offer([...fromDb.values()]).catch((error: unknown) => this.logger.warn({ err: error }, 'latest-value cache update failed'));
    }
    const out = new Map(cached);
    for (const [id, sample] of fromDb) out.set(id, sample);
    return out;
  }
}
