/**
 * Upkeep of rollup buckets that late, backfilled or replaced samples touched after they were
 * materialised (queued in `ingestion_rollup_dirty` by the writers, in the samples' transaction).
 * Readers take queued buckets from raw samples until `recomputeDirty` has brought the rollups up
 * to date and removed the queue entries. RollupMaintainer does it for the native rollups,
 * TimescaleRollupRefresher for TimescaleDB's continuous aggregates.
 */
export interface LateBucketUpkeep {
  /** Brings queued buckets up to date; returns how many queue entries were processed. */
  recomputeDirty(): Promise<number>;
  /** Recomputes the queued buckets soon, in the background (coalesced). */
  kick(): void;
  /** Resolves once no background recomputation (kick) is running. */
  idle(): Promise<void>;
}
