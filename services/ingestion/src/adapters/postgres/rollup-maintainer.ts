import type { Pool, PoolClient } from 'pg';
import { ORIGIN, OVERWRITE_ROLLUP, ROLLUP_COLUMNS, ROLLUP_LOCK, rawStatsSelect, rollupStatsSelect } from './sql-fragments';

/**
 * Recomputes the rollup buckets queued in `ingestion_rollup_dirty` (buckets where a stored sample was
 * replaced, which an incremental merge cannot undo: the old value may have been the minimum).
 *
 * Correctness under concurrent writers: writers merge under a shared advisory lock; recomputation
 * takes it exclusively, so it starts only after every merging transaction committed and no merge
 * interleaves with it. Each statement's snapshot then sees all committed samples.
 */
export class RollupMaintainer {
  constructor(private readonly pool: Pool) {}

  /** Recomputes all dirty buckets; returns how many 1-minute buckets were recomputed. */
  async recomputeDirty(): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(${ROLLUP_LOCK})`);
      const { rows } = await client.query<{ tag_id: string; bucket: Date }>(`DELETE FROM ingestion_rollup_dirty RETURNING tag_id, bucket`);
      if (rows.length > 0) {
        await recompute(client, rows.map((r) => r.tag_id), rows.map((r) => r.bucket));
      }
      await client.query('COMMIT');
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

async function recompute(client: PoolClient, tagIds: string[], buckets: Date[]): Promise<void> {
  await client.query(
    `WITH d AS (SELECT DISTINCT * FROM unnest($1::text[], $2::timestamptz[]) AS d(tag_id, bucket)),
     agg AS (
       SELECT d.tag_id, d.bucket, ${rawStatsSelect('r')}
       FROM d LEFT JOIN ingestion_samples r
         ON r.tag_id = d.tag_id AND r.time >= d.bucket AND r.time < d.bucket + INTERVAL '1 minute'
       GROUP BY d.tag_id, d.bucket
     ),
     gone AS (
       DELETE FROM ingestion_rollup_1m t USING agg
       WHERE t.tag_id = agg.tag_id AND t.bucket = agg.bucket AND agg.sample_count = 0
     )
     INSERT INTO ingestion_rollup_1m AS t (${ROLLUP_COLUMNS})
     SELECT ${ROLLUP_COLUMNS} FROM agg WHERE sample_count > 0 ORDER BY tag_id, bucket
     ${OVERWRITE_ROLLUP}`,
    [tagIds, buckets],
  );
  await client.query(
    `WITH h AS (SELECT DISTINCT d.tag_id, date_bin(INTERVAL '1 hour', d.bucket, ${ORIGIN}) AS bucket
                FROM unnest($1::text[], $2::timestamptz[]) AS d(tag_id, bucket)),
     agg AS (
       SELECT h.tag_id, h.bucket, ${rollupStatsSelect('r')}
       FROM h LEFT JOIN ingestion_rollup_1m r
         ON r.tag_id = h.tag_id AND r.bucket >= h.bucket AND r.bucket < h.bucket + INTERVAL '1 hour'
       GROUP BY h.tag_id, h.bucket
     ),
     gone AS (
       DELETE FROM ingestion_rollup_1h t USING agg
       WHERE t.tag_id = agg.tag_id AND t.bucket = agg.bucket AND agg.sample_count = 0
     )
     INSERT INTO ingestion_rollup_1h AS t (${ROLLUP_COLUMNS})
     SELECT ${ROLLUP_COLUMNS} FROM agg WHERE sample_count > 0 ORDER BY tag_id, bucket
     ${OVERWRITE_ROLLUP}`,
    [tagIds, buckets],
  );
}
