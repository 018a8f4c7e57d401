import type { Pool, PoolClient } from 'pg';
import { MAINTENANCE_LOCK, ORIGIN, OVERWRITE_ROLLUP, ROLLUP_COLUMNS, ROLLUP_LOCK, rawStatsSelect, rollupStatsSelect } from './sql-fragments';

/**
 * Keeps the native 1-minute and 1-hour rollups, the way TimescaleDB keeps continuous aggregates:
 *
 * - `fold(now)` first moves the writers' `watermark` to `now − lag` (a short exclusive section:
 *   from then on writers queue buckets they touch before it), then materialises the buckets between
 *   `folded_to` and the watermark from raw samples, an hour per transaction, without blocking
 *   writers, and moves `folded_to` on. Each bucket is computed once, when closed: the write path
 *   pays nothing for rollups. A crash between the steps leaves `folded_to` behind; the next fold
 *   resumes from it.
 * - Writes before the watermark (late, backfilled, replaced samples) queue their 1-minute buckets
 *   in `ingestion_rollup_dirty`; `recomputeDirty()` (kicked by writers, and run by the maintenance
 *   loop) recomputes them and the hours containing them, in bulk.
 * - Readers take the rollups before `folded_to` — except queued buckets and the hours holding them,
 *   read from finer rollups and raw samples — and raw samples after `folded_to`.
 *
 * Locks: writers hold the rollup advisory lock shared for their whole transaction; moving the
 * watermark takes it exclusively (briefly), so every writer either finished before or sees the new
 * watermark. Materialising and recomputing are serialised by a second (maintenance) lock, and each
 * takes fresh snapshots, so the later of two always writes the more complete result.
 */
const DIRTY_CHUNK = 20_000;

export class RollupMaintainer {
  constructor(
    private readonly pool: Pool,
    /** How long after a minute ends before it is folded, ms (late samples within it cost nothing). */
    private readonly lagMs = 120_000,
  ) {}

  private running?: Promise<unknown>;
  private again = false;

  /** Recomputes the queued buckets soon, in the background (coalesced). */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.recomputeDirty().catch(() => undefined);
      } while (this.again);
    })().finally(() => (this.running = undefined));
  }

  /** Resolves once no background recomputation (kick) is running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Recomputes all queued buckets, in chunks; returns how many queue entries were processed.
   * Needs no lock against writers: a queue entry this run cannot see (uncommitted) stays queued,
   * and every entry it deletes belongs to a committed write its later statements see.
   */
  async recomputeDirty(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.transaction({ maintenance: true, writers: 'none' }, async (client) => {
        const { rows } = await client.query<{ tag_id: string; bucket: Date }>(
          `DELETE FROM ingestion_rollup_dirty WHERE id IN (SELECT id FROM ingestion_rollup_dirty ORDER BY id LIMIT ${DIRTY_CHUNK}) RETURNING tag_id, bucket`,
        );
        if (rows.length > 0) await recompute(client, rows.map((r) => r.tag_id), rows.map((r) => r.bucket));
        return rows.length;
      });
      total += n;
      if (n < DIRTY_CHUNK) return total;
    }
  }

  /** Folds closed minutes up to `nowMs − lag` into the rollups; returns the new `folded_to`. */
  async fold(nowMs = Date.now()): Promise<Date> {
    const target = new Date(Math.floor((nowMs - this.lagMs) / 60_000) * 60_000);
    await this.transaction({ maintenance: false, writers: 'exclusive' }, (client) =>
      client.query(`UPDATE ingestion_rollup_state SET watermark = greatest(watermark, $1)`, [target]),
    );
    for (;;) {
      const foldedTo = await this.transaction({ maintenance: true, writers: 'none' }, async (client) => {
        const { rows } = await client.query<{ watermark: Date; folded_to: Date }>(`SELECT watermark, folded_to FROM ingestion_rollup_state`);
        const from = rows[0].folded_to.getTime();
        const watermark = rows[0].watermark.getTime();
        if (from >= watermark) return { done: true, at: rows[0].folded_to };
        const to = Math.min(watermark, Math.floor(from / 3_600_000) * 3_600_000 + 3_600_000);
        await materialise(client, new Date(from), new Date(to));
        await client.query(`UPDATE ingestion_rollup_state SET folded_to = $1`, [new Date(to)]);
        return { done: to >= watermark, at: new Date(to) };
      });
      if (foldedTo.done) return foldedTo.at;
    }
  }

  private async transaction<T>(locks: { maintenance: boolean; writers: 'exclusive' | 'none' }, work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (locks.maintenance) await client.query(`SELECT pg_advisory_xact_lock(${MAINTENANCE_LOCK})`);
      if (locks.writers === 'exclusive') await client.query(`SELECT pg_advisory_xact_lock(${ROLLUP_LOCK})`);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/** 1-minute rollups of [from, to) from raw samples, then the hour containing them from those. */
async function materialise(client: PoolClient, from: Date, to: Date): Promise<void> {
  await client.query(
    `INSERT INTO ingestion_rollup_1m AS t (${ROLLUP_COLUMNS})
     SELECT r.tag_id, date_bin(INTERVAL '1 minute', r.time, ${ORIGIN}) AS bucket, ${rawStatsSelect('r')}
     FROM ingestion_samples r WHERE r.time >= $1 AND r.time < $2
     GROUP BY 1, 2 ORDER BY 1, 2
     ${OVERWRITE_ROLLUP}`,
    [from, to],
  );
  await client.query(
    `INSERT INTO ingestion_rollup_1h AS t (${ROLLUP_COLUMNS})
     SELECT r.tag_id, date_bin(INTERVAL '1 hour', r.bucket, ${ORIGIN}) AS bucket, ${rollupStatsSelect('r')}
     FROM ingestion_rollup_1m r
     WHERE r.bucket >= date_bin(INTERVAL '1 hour', $1::timestamptz, ${ORIGIN}) AND r.bucket < $2
     GROUP BY 1, 2 ORDER BY 1, 2
     ${OVERWRITE_ROLLUP}`,
    [from, to],
  );
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
