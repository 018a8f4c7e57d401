import { Pool } from 'pg';
import pino from 'pino';
import { createTestDatabase, testStorageMode } from '@reflux/testing';
import { CachedLatestSamples } from '../src/application/cached-latest-samples';
import { HistoryReader } from '../src/application/history-reader';
import { DEFAULT_READ_LIMITS } from '../src/domain/read-limits';
import { InMemoryTagCatalog } from '../src/application/in-memory-tag-catalog';
import { InProcessLatestValueCache } from '../src/application/in-process-latest-value-cache';
import { MeasurementWriter, DEFAULT_WRITER_CONFIG, type MeasurementWriterConfig } from '../src/application/measurement-writer';
import { DEFAULT_STORAGE_OPTIONS, type StorageOptions } from '../src/adapters/postgres/ingestion.schema';
import { openIngestionStorage, type IngestionStorage } from '../src/adapters/postgres/ingestion-storage';
import type { TagDefinition } from '../src/domain/tag-definition';

export const logger = pino({ level: 'silent' });

/** A running ingestion stack (writer, reader, storage) on a test database. */
export interface IngestionStack {
  readonly pool: Pool;
  readonly storage: IngestionStorage;
  readonly writer: MeasurementWriter;
  readonly reader: HistoryReader;
  /** A reader that never uses the rollups (raw samples only): the reference for rollup reads. */
  readonly rawOnlyReader: HistoryReader;
  readonly catalog: InMemoryTagCatalog;
  close(): Promise<void>;
}

export async function openStack(
  url: string,
  tags: TagDefinition[],
  opts: { writer?: Partial<MeasurementWriterConfig>; storage?: Partial<StorageOptions>; clock?: () => number; poolMax?: number } = {},
): Promise<IngestionStack> {
  const pool = new Pool({ connectionString: url, max: opts.poolMax ?? 4 });
  const storage = await openIngestionStorage(pool, { ...DEFAULT_STORAGE_OPTIONS, timescale: testStorageMode(), ...opts.storage }, logger);
  const catalog = new InMemoryTagCatalog(tags);
  const cache = new InProcessLatestValueCache();
  const writer = new MeasurementWriter({ catalog, store: storage.store, cache, logger, clock: opts.clock }, { ...DEFAULT_WRITER_CONFIG, ...opts.writer });
  const reader = new HistoryReader({ store: storage.history, latest: new CachedLatestSamples(cache, storage.history, logger), catalog });
  // No cache: latest samples straight from the database.
  const rawOnlyReader = new HistoryReader({ store: storage.history, latest: storage.history, catalog }, DEFAULT_READ_LIMITS, false);
  return {
    pool,
    storage,
    writer,
    reader,
    rawOnlyReader,
    catalog,
    async close() {
      await writer.close();
      await pool.end();
    },
  };
}

/**
 * Materialises the rollups of everything written so far, as a refresh policy run (TimescaleDB) or
 * a fold (native) would: later writes before that point are late writes. On TimescaleDB the refresh
 * policies are paused first, so that no policy run repairs late writes behind the test's back.
 */
export async function materialiseRollups(stack: IngestionStack): Promise<void> {
  if (stack.storage.rollups) {
    await stack.storage.rollups.fold();
    return;
  }
  await stack.pool.query(
    `SELECT alter_job(job_id, scheduled => false) FROM timescaledb_information.jobs WHERE proc_name = 'policy_refresh_continuous_aggregate'`,
  );
  for (const view of ['ingestion_rollup_1m', 'ingestion_rollup_1h']) await stack.pool.query(`CALL refresh_continuous_aggregate('${view}', NULL, NULL)`);
}

export { createTestDatabase };

export const tag = (id: string, extra: Partial<TagDefinition> = {}): TagDefinition => ({ id, plantId: 'p1', unit: 'degC', ...extra });
