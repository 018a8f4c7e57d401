import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { IngestedEventPublisher } from '../bus/ingested-event.publisher';
import type { IngestionEventOutbox } from '../bus/measurements-ingested.outbox';
import { migrateIngestionSchema, type StorageMode, type StorageOptions } from './ingestion.schema';
import { PartitionManager } from './partition-manager';
import { PostgresHistoryStore } from './postgres-history-store';
import { PostgresSampleStore } from './postgres-sample-store';
import type { LateBucketUpkeep } from './late-bucket-upkeep';
import { RollupMaintainer } from './rollup-maintainer';
import { TimescaleRollupRefresher } from './timescale-rollup-refresher';

/** How often the rollup fold runs by default, ms. */
export const DEFAULT_FOLD_INTERVAL_MS = 5_000;

export interface IngestionStorage {
  readonly mode: StorageMode;
  readonly store: PostgresSampleStore;
  readonly history: PostgresHistoryStore;
  /** Native mode only. */
  readonly partitions?: PartitionManager;
  readonly rollups?: RollupMaintainer;
  /** Both modes: recomputes rollup buckets touched by late writes (the native rollups, or TimescaleDB's continuous aggregates). */
  readonly lateBuckets: LateBucketUpkeep;
  /** With an outbox: appends committed batches' MeasurementsIngested events to the event log. */
  readonly publisher?: IngestedEventPublisher;
  /**
   * One maintenance pass: partitions ahead, retention, expired batch ids, left-over dirty rollup
   * buckets, and the rollup fold (at most `foldSliceMs` of data time unless far behind; all when omitted).
   */
  maintain(nowMs?: number, foldSliceMs?: number): Promise<{ droppedPartitions: string[]; expiredBatchIds: number; recomputedBuckets: number }>;
  /**
   * Runs the upkeep of `maintain` every `intervalMs`, and the rollup fold apart from it every
   * `foldIntervalMs` in slices of two fold intervals of data time (short steps of CPU work rather
   * than one long one per maintenance run). The returned stop waits for runs in progress and
   * background rollup work.
   */
  startMaintenance(intervalMs: number, foldIntervalMs?: number): () => Promise<void>;
}

/** Migrates (or, with `migrate` false, checks) the schema, detecting TimescaleDB, then builds the stores for the mode. */
export async function openIngestionStorage(
  pool: Pool,
  options: StorageOptions,
  logger: Logger,
  migrate = true,
  outbox?: IngestionEventOutbox,
): Promise<IngestionStorage> {
  const publisher = outbox ? new IngestedEventPublisher(pool, outbox, logger) : undefined;
  const mode = await migrateIngestionSchema(pool, options, migrate, logger);
  const partitions = mode === 'native' ? new PartitionManager(pool) : undefined;
  const rollups = mode === 'native' ? new RollupMaintainer(pool, options.rollupLagS * 1000) : undefined;
  const lateBuckets: LateBucketUpkeep = rollups ?? new TimescaleRollupRefresher(pool);
  const store = new PostgresSampleStore(pool, mode, partitions, lateBuckets, logger, publisher);
  const history = new PostgresHistoryStore(pool, mode);
  logger.info({ mode }, 'ingestion storage ready');

  const upkeep = async (nowMs: number) => {
    let droppedPartitions: string[] = [];
    if (partitions) {
      await partitions.refresh();
      await partitions.ensureAhead(nowMs, options.partitionsAheadDays);
      droppedPartitions = await partitions.dropExpired(nowMs, options.retentionDays);
    }
    const recomputedBuckets = await lateBuckets.recomputeDirty();
    return { droppedPartitions, recomputedBuckets };
  };
  const finish = async () => {
    if (publisher) await publisher.drain();
    return store.expireBatchIds(options.batchIdRetentionS);
  };
  const maintain = async (nowMs = Date.now(), foldSliceMs?: number) => {
    const { droppedPartitions, recomputedBuckets } = await upkeep(nowMs);
    if (rollups) await rollups.fold(nowMs, foldSliceMs);
    const expiredBatchIds = await finish();
    return { droppedPartitions, expiredBatchIds, recomputedBuckets };
  };
  await maintain();

  return {
    mode,
    store,
    history,
    partitions,
    rollups,
    lateBuckets,
    publisher,
    maintain,
    startMaintenance(intervalMs, foldIntervalMs = DEFAULT_FOLD_INTERVAL_MS) {
      let running: Promise<void> | undefined;
      const timer = setInterval(() => {
        if (running) return;
        running = upkeep(Date.now())
          .then(async (r) => {
            const expiredBatchIds = await finish();
            if (r.droppedPartitions.length > 0 || r.recomputedBuckets > 0) logger.info({ ...r, expiredBatchIds }, 'ingestion maintenance');
          })
          .catch((error: unknown) => logger.error({ err: error }, 'ingestion maintenance failed'))
          .finally(() => (running = undefined));
      }, intervalMs);
      timer.unref();
      let folding: Promise<void> | undefined;
      const foldTimer = rollups
        ? setInterval(() => {
            if (folding) return;
            folding = rollups
              .fold(Date.now(), 2 * foldIntervalMs)
              .then(() => undefined)
              .catch((error: unknown) => logger.error({ err: error }, 'ingestion rollup fold failed'))
              .finally(() => (folding = undefined));
          }, foldIntervalMs)
        : undefined;
      foldTimer?.unref();
      // The pool closes after this: let runs in progress finish first, not fail half-way.
      return async () => {
        clearInterval(timer);
        if (foldTimer) clearInterval(foldTimer);
        await running;
        await folding;
        await lateBuckets.idle();
      };
    },
  };
}
