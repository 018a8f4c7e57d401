import type { Sample } from '../domain/sample';

/** The newest stored sample of tags, as readers see it (the latest-value cache, then the database). */
export interface LatestSampleSource {
  /** The latest sample of each given tag that has one, any quality; tags without samples are absent. */
  latest(tagIds: readonly string[]): Promise<ReadonlyMap<string, Sample>>;
}
