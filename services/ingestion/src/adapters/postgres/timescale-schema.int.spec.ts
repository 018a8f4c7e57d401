import { Pool } from 'pg';
import { createTestDatabase, timescaleRequested } from '@reflux/testing';
import { DEFAULT_STORAGE_OPTIONS, migrateIngestionSchema, type StorageOptions } from './ingestion.schema';
import { applyTimescalePolicies } from './timescale-schema';

/** The policies TimescaleDB holds for the samples and the aggregates, by policy and relation. */
async function policies(pool: Pool): Promise<Record<string, string>> {
  const { rows } = await pool.query<{ key: string; setting: string }>(
    `SELECT j.proc_name || ':' || coalesce(ca.view_name, j.hypertable_name) AS key,
            coalesce(j.config->>'drop_after', j.config->>'compress_after',
                     (j.config->>'start_offset') || '/' || (j.config->>'end_offset') || '/' || j.schedule_interval::text) AS setting
     FROM timescaledb_information.jobs j
     LEFT JOIN timescaledb_information.continuous_aggregates ca
       ON ca.materialization_hypertable_schema = j.hypertable_schema AND ca.materialization_hypertable_name = j.hypertable_name
     WHERE j.proc_name IN ('policy_retention', 'policy_compression', 'policy_refresh_continuous_aggregate') ORDER BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.key, r.setting]));
}

(timescaleRequested() ? describe : describe.skip)('TimescaleDB policies (REFLUX_TEST_TIMESCALE=1)', () => {
  it('follow the retention, compression and backfill settings when they change between starts, one policy of each kind', async () => {
    const db = await createTestDatabase('tsdb_policies');
    const pool = new Pool({ connectionString: db.url, max: 2 });
    try {
      const first: StorageOptions = { ...DEFAULT_STORAGE_OPTIONS, timescale: 'timescaledb', retentionDays: 400, compressAfterDays: 35, backfillHorizonS: 30 * 86_400 };
      expect(await migrateIngestionSchema(pool, first)).toBe('timescaledb');
      expect(await policies(pool)).toEqual({
        'policy_compression:ingestion_samples': '35 days',
        'policy_refresh_continuous_aggregate:ingestion_rollup_1h': '722:00:00/01:00:00/00:15:00',
        'policy_refresh_continuous_aggregate:ingestion_rollup_1m': '722:00:00/00:01:00/00:01:00',
        'policy_retention:ingestion_samples': '400 days',
      });
      // Unchanged settings: nothing is touched.
      expect(await applyTimescalePolicies(pool, first)).toEqual([]);

      const changed: StorageOptions = { ...first, retentionDays: 90, compressAfterDays: 7, backfillHorizonS: 2 * 86_400 };
      expect(await migrateIngestionSchema(pool, changed)).toBe('timescaledb');
      expect(await policies(pool)).toEqual({
        'policy_compression:ingestion_samples': '7 days',
        'policy_refresh_continuous_aggregate:ingestion_rollup_1h': '50:00:00/01:00:00/00:15:00',
        'policy_refresh_continuous_aggregate:ingestion_rollup_1m': '50:00:00/00:01:00/00:01:00',
        'policy_retention:ingestion_samples': '90 days',
      });
      expect(await applyTimescalePolicies(pool, changed)).toEqual([]);
    } finally {
      await pool.end();
      await db.drop();
    }
  });
});
