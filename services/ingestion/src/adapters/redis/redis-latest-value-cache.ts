import type { Redis } from 'ioredis';
import type { LatestValueCache } from '../../application/latest-value-cache.port';
import type { Sample } from '../../domain/sample';

/**
 * Keeps, per tag, the newest sample only: the script compares timestamps inside Redis, so
 * concurrent writers (several ingestion replicas, out-of-order batches) never move a tag back in time.
 * Fields are `<timeMs> <value> <quality>` in one hash per service.
 */
const OFFER_NEWER = `
for i = 1, #ARGV, 2 do
  local cur = redis.call('HGET', KEYS[1], ARGV[i])
  local t = tonumber(string.match(ARGV[i + 1], '^(%S+)'))
  if (not cur) or tonumber(string.match(cur, '^(%S+)')) <= t then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  end
end
return 0`;

/** LatestValueCache shared by all replicas through Redis (`REDIS_URL`). */
export class RedisLatestValueCache implements LatestValueCache {
  constructor(
    private readonly redis: Redis,
    private readonly key = 'reflux:ingestion:latest',
  ) {}

  async get(tagIds: readonly string[]): Promise<ReadonlyMap<string, Sample>> {
    const out = new Map<string, Sample>();
    if (tagIds.length === 0) return out;
    const values = await this.redis.hmget(this.key, ...tagIds);
    values.forEach((raw, i) => {
      if (!raw) return;
      const [t, v, q] = raw.split(' ');
      out.set(tagIds[i], { tagId: tagIds[i], timeMs: Number(t), value: Number(v), quality: Number(q) });
    });
    return out;
  }

  async offer(samples: readonly Sample[]): Promise<void> {
    if (samples.length === 0) return;
    const args: string[] = [];
    for (const s of samples) args.push(s.tagId, `${s.timeMs} ${s.value} ${s.quality}`);
    await this.redis.eval(OFFER_NEWER, 1, this.key, ...args);
  }
}
