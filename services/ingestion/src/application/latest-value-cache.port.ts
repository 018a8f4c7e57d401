import type { Sample } from '../domain/sample';

/** The newest sample per tag, kept close to readers (in process, or Redis when shared). */
export interface LatestValueCache {
  /** Cached latest samples of the given tags; tags not cached are absent. */
  get(tagIds: readonly string[]): Promise<ReadonlyMap<string, Sample>>;
  /** Offers committed samples; a tag's entry changes only when a sample is at least as new. */
  offer(samples: readonly Sample[]): Promise<void>;
}
