import type { BatchIdentity } from '../domain/batch-identity';
import type { BatchAck, Sample } from '../domain/sample';
import type { DuplicatePolicy } from '../domain/tag-definition';
import type { IngestedSummary } from './ingested-summary';

/** A stored sample; `seq` orders samples that share a timestamp (keep-both policy), 0 otherwise. */
export interface StoredSample extends Sample {
  readonly seq: number;
}

/** Statistics of one tag over one bucket, as the rollups keep them. */
export interface BucketStats {
  readonly tagId: string;
  readonly bucketStartMs: number;
  readonly sampleCount: number;
  readonly goodCount: number;
  readonly usableCount: number;
  readonly valueSum: number | null;
  readonly valueMin: number | null;
  readonly valueMax: number | null;
  readonly firstValue: number | null;
  readonly lastValue: number | null;
}

export interface RawPosition {
  readonly tagId: string;
  readonly timeMs: number;
  readonly seq: number;
}

/** Write side of the time-series store. */
export interface SampleWriteStore {
  /**
   * Commits the samples and the batch's acknowledgement in one transaction; `policyOf` gives the
   * duplicate policy of a sample's tag, which decides a clash with a stored sample, and samples
   * sharing tag and time within the batch are resolved by it too (resolveBatchDuplicates). When the
   * writer committed this batch id before with the same payload hash, nothing is written and the
   * stored acknowledgement comes back with `duplicate: true`; with another payload hash nothing is
   * written and BatchIdConflictError is thrown. `summaries` are published (MeasurementsIngested) in
   * the same transaction.
   */
  commitBatch(
    batch: BatchIdentity,
    samples: readonly Sample[],
    policyOf: (tagId: string) => DuplicatePolicy,
    ack: BatchAck,
    summaries?: readonly IngestedSummary[],
  ): Promise<BatchAck>;
}

/** Read side of the time-series store. */
export interface SampleHistoryStore {
  /** Samples of the tags in [fromMs, toMs), ordered by (tag id, time, seq), after `after`. */
  readRaw(tagIds: readonly string[], fromMs: number, toMs: number, after: RawPosition | undefined, limit: number): Promise<StoredSample[]>;
  /** The newest sample of each tag that has one. */
  latest(tagIds: readonly string[]): Promise<Map<string, Sample>>;
  /** Samples of one tag of any quality (a Bad one ends good data): the last before `fromMs`, at most `maxInside` in [fromMs, toMs), and the first at or after `toMs`. */
  window(tagId: string, fromMs: number, toMs: number, maxInside: number): Promise<{ before?: Sample; inside: Sample[]; after?: Sample }>;
  /**
   * Statistics per tag and epoch-aligned bucket of `bucketMs` over [fromMs, toMs): from the
   * 1-hour and 1-minute rollups where their buckets fit (and are materialised), from raw samples
   * elsewhere; only from raw samples when `useRollups` is false.
   */
  bucketStats(tagIds: readonly string[], fromMs: number, toMs: number, bucketMs: number, useRollups: boolean): Promise<BucketStats[]>;
  /** For each instant, the last sample (any quality) at or before it and the first after it. */
  neighbours(tagId: string, instantsMs: readonly number[]): Promise<{ prev?: Sample; next?: Sample }[]>;
}
