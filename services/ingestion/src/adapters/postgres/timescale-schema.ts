import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { sqlMigration, type Migration } from '@reflux/database';
import type { StorageOptions } from './ingestion.schema';
import { GOOD, SAMPLE_COLUMNS, USABLE } from './sql-fragments';

/**
 * TimescaleDB migrations, the statements as its documentation gives them, in order around the
 * common ones (`between`): the hypertable and the continuous aggregates (0002) and the queue of
 * buckets touched by late writes (0009).
 */
export function timescaleMigrations(o: StorageOptions, between: readonly Migration[]): Migration[] {
  return [timescaleSamples(o), ...between, timescaleDirtyQueue];
}

/**
 * A continuous aggregate with the columns of the native rollup tables. Its first and last values
 * take ties at one time in no defined order; PostgresHistoryStore looks the values up by (time,
 * seq) at first_time and last_time instead, as for raw samples.
 */
const cagg = (name: string, width: string) => `CREATE MATERIALIZED VIEW ${name}
     WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
     SELECT tag_id,
            time_bucket(INTERVAL '${width}', time) AS bucket,
            count(*) AS sample_count,
            count(*) FILTER (WHERE ${GOOD()}) AS good_count,
            count(*) FILTER (WHERE ${USABLE()}) AS usable_count,
            coalesce(sum(value) FILTER (WHERE ${USABLE()}), 0) AS value_sum,
            min(value) FILTER (WHERE ${USABLE()}) AS value_min,
            max(value) FILTER (WHERE ${USABLE()}) AS value_max,
            min(time) FILTER (WHERE ${USABLE()}) AS first_time,
            first(value, time) FILTER (WHERE ${USABLE()}) AS first_value,
            max(time) FILTER (WHERE ${USABLE()}) AS last_time,
            last(value, time) FILTER (WHERE ${USABLE()}) AS last_value
     FROM ingestion_samples
     GROUP BY tag_id, bucket
     WITH NO DATA`;

/** The refresh policies (applyTimescalePolicies keeps them in line with the options). */
const REFRESH = [
  { view: 'ingestion_rollup_1m', endOffset: '1 minute', schedule: '1 minute' },
  { view: 'ingestion_rollup_1h', endOffset: '1 hour', schedule: '15 minutes' },
] as const;

/**
 * A hypertable with daily chunks, compression segmented by tag, a retention policy, and continuous
 * aggregates for 1-minute and 1-hour statistics with the same columns as the native rollup tables
 * (real-time aggregation on, so the not-yet-materialised recent buckets are computed from raw data
 * at query time).
 */
function timescaleSamples(o: StorageOptions): Migration {
  return sqlMigration(
    '0002_timescaledb_samples',
    `CREATE EXTENSION IF NOT EXISTS timescaledb`,
    `CREATE TABLE ingestion_samples (${SAMPLE_COLUMNS})`,
    `SELECT create_hypertable('ingestion_samples', by_range('time', INTERVAL '1 day'))`,
    `CREATE UNIQUE INDEX ingestion_samples_tag_time ON ingestion_samples (tag_id, time, seq)`,
    `ALTER TABLE ingestion_samples SET (timescaledb.compress, timescaledb.compress_segmentby = 'tag_id')`,
    `SELECT add_compression_policy('ingestion_samples', INTERVAL '${o.compressAfterDays} days')`,
    `SELECT add_retention_policy('ingestion_samples', INTERVAL '${o.retentionDays} days')`,
    ...REFRESH.flatMap((r) => [cagg(r.view, r.endOffset), refreshPolicy(r, o)]),
  );
}

/**
 * Late, backfilled and replaced samples queue their 1-minute buckets here (as natively in 0005),
 * for readers to take from raw samples until TimescaleRollupRefresher has refreshed the continuous
 * aggregates over them.
 */
const timescaleDirtyQueue = sqlMigration(
  '0009_timescaledb_rollup_dirty',
  `CREATE TABLE ingestion_rollup_dirty (
     id bigserial PRIMARY KEY,
     tag_id text NOT NULL,
     bucket timestamptz NOT NULL
   )`,
  `CREATE INDEX ingestion_rollup_dirty_tag_bucket ON ingestion_rollup_dirty (tag_id, bucket)`,
);

/** Refresh everything writes may still reach (the backfill horizon), leaving the open bucket. */
function refreshPolicy(r: (typeof REFRESH)[number], o: StorageOptions): string {
  return `SELECT add_continuous_aggregate_policy('${r.view}',
       start_offset => INTERVAL '${refreshStartS(o)} seconds',
       end_offset => INTERVAL '${r.endOffset}',
       schedule_interval => INTERVAL '${r.schedule}')`;
}

const refreshStartS = (o: StorageOptions) => o.backfillHorizonS + 7200;

interface PolicyCheck {
  readonly what: string;
  /** Selects `same` (boolean) for each job of this policy; no row: there is none. */
  readonly current: string;
  readonly params: unknown[];
  readonly remove: string;
  readonly add: string;
}

function policyChecks(o: StorageOptions): PolicyCheck[] {
  const jobs = `FROM timescaledb_information.jobs j
     LEFT JOIN timescaledb_information.continuous_aggregates ca
       ON ca.materialization_hypertable_schema = j.hypertable_schema AND ca.materialization_hypertable_name = j.hypertable_name`;
  return [
    {
      what: `retention ${o.retentionDays} days`,
      current: `SELECT (j.config->>'drop_after')::interval = $1::interval AS same ${jobs}
                WHERE j.proc_name = 'policy_retention' AND j.hypertable_name = 'ingestion_samples'`,
      params: [`${o.retentionDays} days`],
      remove: `SELECT remove_retention_policy('ingestion_samples')`,
      add: `SELECT add_retention_policy('ingestion_samples', INTERVAL '${o.retentionDays} days')`,
    },
    {
      what: `compression after ${o.compressAfterDays} days`,
      current: `SELECT (j.config->>'compress_after')::interval = $1::interval AS same ${jobs}
                WHERE j.proc_name = 'policy_compression' AND j.hypertable_name = 'ingestion_samples'`,
      params: [`${o.compressAfterDays} days`],
      remove: `SELECT remove_compression_policy('ingestion_samples')`,
      add: `SELECT add_compression_policy('ingestion_samples', INTERVAL '${o.compressAfterDays} days')`,
    },
    ...REFRESH.map((r) => ({
      what: `${r.view} refresh from ${refreshStartS(o)} s back`,
      current: `SELECT (j.config->>'start_offset')::interval = $1::interval AND (j.config->>'end_offset')::interval = $2::interval
                  AND j.schedule_interval = $3::interval AS same ${jobs}
                WHERE j.proc_name = 'policy_refresh_continuous_aggregate' AND ca.view_name = $4`,
      params: [`${refreshStartS(o)} seconds`, r.endOffset, r.schedule, r.view],
      remove: `SELECT remove_continuous_aggregate_policy('${r.view}')`,
      add: refreshPolicy(r, o),
    })),
  ];
}

/**
 * Brings the retention, compression and refresh policies in line with the options, at every
 * migration: a policy whose settings differ is removed and added again, a missing one added. One
 * transaction under an advisory lock, so replicas starting together do not race.
 */
export async function applyTimescalePolicies(pool: Pool, o: StorageOptions, logger?: Pick<Logger, 'info'>): Promise<string[]> {
  const client = await pool.connect();
  const changed: string[] = [];
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('reflux_ingestion_timescale_policies'))`);
    for (const check of policyChecks(o)) {
      const { rows } = await client.query<{ same: boolean }>(check.current, check.params);
      if (rows.length === 1 && rows[0].same) continue;
      if (rows.length > 0) await client.query(check.remove);
      await client.query(check.add);
      changed.push(check.what);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  if (changed.length > 0) logger?.info({ policies: changed }, 'ingestion storage: TimescaleDB policies set');
  return changed;
}
