import type { Sample } from '../domain/sample';
import type { LatestValueCache } from './latest-value-cache.port';

/** Latest values in this process's memory, bounded by the number of tags. */
export class InProcessLatestValueCache implements LatestValueCache {
  private readonly latest = new Map<string, Sample>();

  async get(tagIds: readonly string[]): Promise<ReadonlyMap<string, Sample>> {
    const out = new Map<string, Sample>();
    for (const id of tagIds) {
      const s = this.latest.get(id);
      if (s) out.set(id, s);
    }
    return out;
  }

  async offer(samples: readonly Sample[]): Promise<void> {
    for (const s of samples) {
      const cur = this.latest.get(s.tagId);
      if (!cur || s.timeMs >= cur.timeMs) this.latest.set(s.tagId, s);
    }
  }
}
