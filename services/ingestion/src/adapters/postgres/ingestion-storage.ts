import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { IngestedEventPublisher } from '../bus/ingested-event.publisher';
import type { IngestionEventOutbox } from '../bus/measurements-ingested.outbox';
import { migrateIngestionSchema, type StorageMode, type StorageOptions } from './ingestion.schema';
import { PartitionManager } from './partition-manager';
import { PostgresHistoryStore } from './postgres-history-store';
import { PostgresSampleStore } from './postgres-sample-store';
import { RollupMaintainer } from './rollup-maintainer';

export interface IngestionStorage {
  readonly mode: StorageMode;
  readonly store: PostgresSampleStore;
  readonly history: PostgresHistoryStore;
  /** Native mode only. */
  readonly partitions?: PartitionManager;
  readonly rollups?: RollupMaintainer;
  /** With an outbox: appends committed batches' MeasurementsIngested events to the event log. */
  readonly publisher?: IngestedEventPublisher;
  /**
   * One maintenance pass: partitions ahead, retention, expired batch ids, left-over dirty rollup
   * buckets, and the rollup fold (at most `foldSliceMs` of data time unless far behind; all when omitted).
   */
  maintain(nowMs?: number, foldSliceMs?: number): Promise<{ droppedPartitions: string[]; expiredBatchIds: number; recomputedBuckets: number }>;
  /** Runs `maintain` every interval; the returned stop waits for a run in progress and background rollup work. */
  startMaintenance(intervalMs: number): () => Promise<void>;
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
  const mode = await migrateIngestionSchema(pool, options, migrate);
  const partitions = mode === 'native' ? new PartitionManager(pool) : undefined;
  const rollups = mode === 'native' ? new RollupMaintainer(pool, options.rollupLagS * 1000) : undefined;
  const store = new PostgresSampleStore(pool, mode, partitions, rollups, logger, publisher);
  const history = new PostgresHistoryStore(pool, mode);
  logger.info({ mode }, 'ingestion storage ready');

  const maintain = async (nowMs = Date.now(), foldSliceMs?: number) => {
    let droppedPartitions: string[] = [];
    let recomputedBuckets = 0;
    if (partitions) {
      await partitions.refresh();
      await partitions.ensureAhead(nowMs, options.partitionsAheadDays);
      droppedPartitions = await partitions.dropExpired(nowMs, options.retentionDays);
    }
    if (rollups) {
      recomputedBuckets = await rollups.recomputeDirty();
      await rollups.fold(nowMs, foldSliceMs);
    }
    if (publisher) await publisher.drain();
    const expiredBatchIds = await store.expireBatchIds(options.batchIdRetentionS);
    return { droppedPartitions, expiredBatchIds, recomputedBuckets };
  };
  await maintain();

  return {
    mode,
    store,
    history,
    partitions,
    rollups,
    publisher,
    maintain,
    startMaintenance(intervalMs) {
      let running: Promise<void> | undefined;
      const timer = setInterval(() => {
        if (running) return;
        // Fold slices of two ticks' worth of data: a busy minute is folded over the next minute.
        running = maintain(Date.now(), 2 * intervalMs)
          .then((r) => {
            if (r.droppedPartitions.length > 0 || r.recomputedBuckets > 0) logger.info(r, 'ingestion maintenance');
          })
          .catch((error: unknown) => logger.error({ err: error }, 'ingestion maintenance failed'))
          .finally(() => (running = undefined));
      }, intervalMs);
      timer.unref();
      // The pool closes after this: let a run in progress finish first, not fail half-way.
      return async () => {
        clearInterval(timer);
        await running;
        await rollups?.idle();
      };
    },
  };
}
