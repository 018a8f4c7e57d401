import type { Pool } from 'pg';
import { runMigrations, sqlMigration, type Migration } from '@reflux/database';
import type { Logger } from 'pino';
import { SAMPLE_COLUMNS } from './sql-fragments';
import { applyTimescalePolicies, timescaleMigrations } from './timescale-schema';
import { timescaleSupport } from './timescale-support';

export type StorageMode = 'timescaledb' | 'native';

export interface StorageOptions {
  /** `auto` uses TimescaleDB when the server offers it; `native` never; `timescaledb` requires it. */
  readonly timescale: 'auto' | 'timescaledb' | 'native';
  /** Raw samples older than this are dropped (whole partitions/chunks), days. */
  readonly retentionDays: number;
  /** TimescaleDB: chunks older than this are compressed, days. */
  readonly compressAfterDays: number;
  /** Native partitioning: daily partitions created ahead of today. */
  readonly partitionsAheadDays: number;
  /** Batch ids (and their acks) are kept this long for idempotent retries, s. */
  readonly batchIdRetentionS: number;
  /** How far back writes may reach, s: the continuous aggregates refresh this window. */
  readonly backfillHorizonS: number;
  /** Native rollups: a minute is materialised this long after it ends, s. */
  readonly rollupLagS: number;
}

export const DEFAULT_STORAGE_OPTIONS: StorageOptions = {
  timescale: 'auto',
  retentionDays: 400,
  compressAfterDays: 35,
  partitionsAheadDays: 3,
  batchIdRetentionS: 7 * 86_400,
  backfillHorizonS: 30 * 86_400,
  rollupLagS: 120,
};

/**
 * Decides the storage mode and brings the schema up to date (`apply`), or — when a migration job
 * owns the schema (DATABASE_MIGRATE_ON_START=false) — checks that nothing is pending and refuses to
 * start otherwise. Returns the mode in use. On a new database `auto` takes TimescaleDB only when
 * timescaleSupport says it is usable, and logs why it took native partitioning otherwise; then the
 * recorded migrations decide. With TimescaleDB, `apply` also brings the retention, compression and
 * refresh policies in line with the options (they follow configuration changes).
 */
export async function migrateIngestionSchema(
  pool: Pool,
  options: StorageOptions,
  apply = true,
  logger?: Pick<Logger, 'info' | 'warn'>,
): Promise<StorageMode> {
  const recorded = await pool
    .query<{ id: string }>(`SELECT id FROM reflux_schema_migrations WHERE module = 'ingestion' AND id LIKE '0002_%'`)
    .then((r) => r.rows[0]?.id, () => undefined);
  let mode: StorageMode;
  if (recorded) {
    mode = recorded === '0002_timescaledb_samples' ? 'timescaledb' : 'native';
  } else {
    mode = await chooseMode(pool, options.timescale, logger);
  }
  const migrations: Migration[] =
    mode === 'timescaledb'
      ? [common, ...timescaleMigrations(options, [batchEvents, batchWriters])]
      : [common, nativeSamples, nativeRollupWatermark, batchEvents, nativeDirtyQueue, nativeTimeIndex, nativeRollupSlices, batchWriters];
  if (apply) {
    await runMigrations(pool, { module: 'ingestion', migrations });
    if (mode === 'timescaledb') await applyTimescalePolicies(pool, options, logger);
  } else {
    const applied = await pool
      .query<{ id: string }>(`SELECT id FROM reflux_schema_migrations WHERE module = 'ingestion'`)
      .then((r) => new Set(r.rows.map((row) => row.id)), () => new Set<string>());
    const pending = migrations.map((m) => m.id).filter((id) => !applied.has(id));
    if (pending.length > 0) {
      throw new Error(`ingestion schema migrations pending (${pending.join(', ')}): run services/ingestion/src/migrate.ts, or set DATABASE_MIGRATE_ON_START=true`);
    }
  }
  return mode;
}

async function chooseMode(pool: Pool, wanted: StorageOptions['timescale'], logger?: Pick<Logger, 'info' | 'warn'>): Promise<StorageMode> {
  if (wanted === 'native') return 'native';
  const support = await timescaleSupport(pool);
  if (!support.usable && wanted === 'timescaledb') throw new Error(`INGESTION_TIMESCALE=timescaledb but ${support.reason}`);
  if (support.usable) {
    logger?.info({ reason: support.reason }, 'ingestion storage: TimescaleDB');
    return 'timescaledb';
  }
  logger?.warn({ reason: support.reason }, 'ingestion storage: native partitioning (INGESTION_TIMESCALE=auto and TimescaleDB not usable)');
  return 'native';
}

const common = sqlMigration(
  '0001_batches',
  `CREATE TABLE ingestion_batches (
     client_batch_id text PRIMARY KEY,
     ack jsonb NOT NULL,
     committed_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX ingestion_batches_committed_at ON ingestion_batches (committed_at)`,
  // Distinguishes samples that share tag and time under the keep-both policy.
  `CREATE SEQUENCE ingestion_sample_seq`,
);

/**
 * MeasurementsIngested summaries of a batch, committed with it; `published` turns true once they
 * are appended to the event log (IngestedEventPublisher), so a crash in between loses nothing.
 */
const batchEvents = sqlMigration(
  '0004_batch_events',
  `ALTER TABLE ingestion_batches ADD COLUMN events jsonb, ADD COLUMN published boolean NOT NULL DEFAULT true`,
  `CREATE INDEX ingestion_batches_unpublished ON ingestion_batches (committed_at) WHERE NOT published`,
);

/**
 * Batch ids are unique per writer (the authenticated caller's subject) and carry a SHA-256 of their
 * content: the same id with other content is refused instead of acknowledged as a duplicate. Rows
 * committed before keep writer '' and no hash, and still answer for their id until they expire.
 */
const batchWriters = sqlMigration(
  '0008_batch_writers',
  `ALTER TABLE ingestion_batches ADD COLUMN writer text NOT NULL DEFAULT '', ADD COLUMN payload_hash bytea`,
  `ALTER TABLE ingestion_batches DROP CONSTRAINT ingestion_batches_pkey`,
  `ALTER TABLE ingestion_batches ADD PRIMARY KEY (writer, client_batch_id)`,
  `ALTER TABLE ingestion_batches ALTER COLUMN writer DROP DEFAULT`,
);

const rollupTable = (name: string) => `CREATE TABLE ${name} (
     tag_id text NOT NULL,
     bucket timestamptz NOT NULL,
     sample_count bigint NOT NULL,
     good_count bigint NOT NULL,
     usable_count bigint NOT NULL,
     value_sum double precision NOT NULL,
     value_min double precision,
     value_max double precision,
     first_time timestamptz,
     first_value double precision,
     last_time timestamptz,
     last_value double precision,
     PRIMARY KEY (tag_id, bucket)
   )`;

/**
 * Plain PostgreSQL: declarative range partitioning by day (partitions made by PartitionManager),
 * 1-minute/1-hour rollup tables kept by the service (RollupMaintainer), and the queue of rollup
 * buckets to recompute because samples before the watermark changed.
 */
const nativeSamples = sqlMigration(
  '0002_native_samples',
  `CREATE TABLE ingestion_samples (
     ${SAMPLE_COLUMNS},
     PRIMARY KEY (tag_id, time, seq)
   ) PARTITION BY RANGE (time)`,
  rollupTable('ingestion_rollup_1m'),
  rollupTable('ingestion_rollup_1h'),
  `CREATE TABLE ingestion_rollup_dirty (
     tag_id text NOT NULL,
     bucket timestamptz NOT NULL,
     PRIMARY KEY (tag_id, bucket)
   )`,
);

/**
 * The native rollups work like TimescaleDB's continuous aggregates. `folded_to`: buckets before it
 * are materialised, and readers use the rollups there and raw samples after it. `watermark`
 * (>= folded_to): writers queue the 1-minute buckets of samples they write before it in
 * `ingestion_rollup_dirty` for recomputation. See RollupMaintainer.
 */
const nativeRollupWatermark = sqlMigration(
  '0003_native_rollup_watermark',
  `CREATE TABLE ingestion_rollup_state (
     singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
     watermark timestamptz NOT NULL,
     folded_to timestamptz NOT NULL,
     CHECK (folded_to <= watermark)
   )`,
  `INSERT INTO ingestion_rollup_state (watermark, folded_to)
   SELECT b, b FROM date_bin(INTERVAL '1 minute', now(), TIMESTAMPTZ '1970-01-01 00:00:00+00') AS b`,
);

/**
 * The dirty-bucket queue becomes append-only (no unique key): a writer always adds its own row, so
 * a recomputation that does not see the row (not yet committed) cannot delete it, and the bucket
 * is recomputed again later. Readers treat queued buckets as not materialised.
 */
const nativeDirtyQueue = sqlMigration(
  '0005_native_dirty_queue',
  `ALTER TABLE ingestion_rollup_dirty DROP CONSTRAINT ingestion_rollup_dirty_pkey`,
  `ALTER TABLE ingestion_rollup_dirty ADD COLUMN id bigserial PRIMARY KEY`,
  `CREATE INDEX ingestion_rollup_dirty_tag_bucket ON ingestion_rollup_dirty (tag_id, bucket)`,
);

/**
 * A BRIN index on time, the native counterpart of the time index TimescaleDB gives every chunk:
 * folding a minute into the rollups reads that minute's rows, not the whole day partition (the
 * primary key leads with the tag). Samples arrive roughly in time order, so block ranges stay
 * narrow; the index costs the writers next to nothing.
 */
const nativeTimeIndex = sqlMigration('0006_native_samples_time_brin', `CREATE INDEX ingestion_samples_time_brin ON ingestion_samples USING brin (time)`);

/**
 * Folding in slices (RollupMaintainer): `sliced_to` (folded_to <= sliced_to <= watermark) is how
 * far raw samples are aggregated into `ingestion_rollup_open`, the partial 1-minute rows of minutes
 * not yet folded; a minute moves to ingestion_rollup_1m once sliced to its end.
 */
const nativeRollupSlices = sqlMigration(
  '0007_native_rollup_slices',
  `ALTER TABLE ingestion_rollup_state ADD COLUMN sliced_to timestamptz`,
  `UPDATE ingestion_rollup_state SET sliced_to = folded_to`,
  `ALTER TABLE ingestion_rollup_state ALTER COLUMN sliced_to SET NOT NULL,
     ADD CONSTRAINT ingestion_rollup_state_sliced CHECK (folded_to <= sliced_to AND sliced_to <= watermark)`,
  rollupTable('ingestion_rollup_open'),
);
