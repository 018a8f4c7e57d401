import type { Pool, PoolClient } from 'pg';
import type { LateBucketUpkeep } from './late-bucket-upkeep';
import { MAINTENANCE_LOCK, ORIGIN, OVERWRITE_ROLLUP, ROLLUP_COLUMNS, ROLLUP_LOCK, rawStatsSelect, rollupStatsSelect, withFirstLastValues } from './sql-fragments';

/**
 * Keeps the native 1-minute and 1-hour rollups, the way TimescaleDB keeps continuous aggregates:
 *
 * - `fold(now, sliceMs)` first moves the writers' `watermark` to `now − lag`, minute-aligned (when
 *   it moves, a short exclusive section: from then on writers queue buckets they touch before it),
 *   then aggregates raw samples from `sliced_to` towards the watermark into partial rows
 *   (`ingestion_rollup_open`), at most `sliceMs` of data time per call, and moves every minute
 *   sliced to its end into the 1-minute rollup (and its hour into the 1-hour rollup), moving
 *   `folded_to` on. Called every fold tick (5 s by default) with a slice of two ticks, the work of
 *   folding a busy minute is spread over the next minute in short steps instead of bursts that take
 *   a core from the writers; when far behind (or without `sliceMs`) it folds everything, an hour
 *   per transaction. Each slice and each move is one transaction, so a crash resumes where the
 *   state says. The write path pays nothing for rollups.
 * - Writes before the watermark (late, backfilled, replaced samples) queue their 1-minute buckets
 *   in `ingestion_rollup_dirty`; `recomputeDirty()` (kicked by writers, and run by the maintenance
 *   loop) recomputes those before `folded_to` and the hours containing them, in bulk. A queued
 *   minute not yet folded waits: a slice may have missed the late sample, and the recomputation
 *   after the minute is folded makes it exact.
 * - Readers take the rollups before `folded_to` — except queued buckets and the hours holding them,
 *   read from finer rollups and raw samples — and raw samples after `folded_to`.
 *
 * Locks: writers hold the rollup advisory lock shared for their whole transaction; moving the
 * watermark takes it exclusively (briefly), so every writer either finished before or sees the new
 * watermark. Materialising and recomputing are serialised by a second (maintenance) lock, and each
 * takes fresh snapshots, so the later of two always writes the more complete result.
 */
const DIRTY_CHUNK = 20_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** A backlog beyond this (data time) is folded at once rather than in slices. */
const CATCH_UP_MS = 5 * MINUTE_MS;

export class RollupMaintainer implements LateBucketUpkeep {
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
   * Recomputes the queued buckets before `folded_to`, in chunks; returns how many queue entries
   * were processed. Needs no lock against writers: a queue entry this run cannot see (uncommitted)
   * stays queued, and every entry it deletes belongs to a committed write its later statements see.
   */
  async recomputeDirty(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.transaction({ maintenance: true, writers: 'none' }, async (client) => {
        const { rows } = await client.query<{ tag_id: string; bucket: Date }>(
          `DELETE FROM ingestion_rollup_dirty WHERE id IN (
             SELECT id FROM ingestion_rollup_dirty WHERE bucket < (SELECT folded_to FROM ingestion_rollup_state) ORDER BY id LIMIT ${DIRTY_CHUNK}
           ) RETURNING tag_id, bucket`,
        );
        if (rows.length > 0) await recompute(client, rows.map((r) => r.tag_id), rows.map((r) => r.bucket));
        return rows.length;
      });
      total += n;
      if (n < DIRTY_CHUNK) return total;
    }
  }

  /**
   * Moves the watermark to `nowMs − lag` (minute-aligned), then folds towards it: everything when
   * `sliceMs` is not given or the backlog exceeds CATCH_UP_MS; otherwise at most `sliceMs` of data
   * time. Returns the new `folded_to`.
   */
  async fold(nowMs = Date.now(), sliceMs = Number.POSITIVE_INFINITY): Promise<Date> {
    const target = new Date(Math.floor((nowMs - this.lagMs) / MINUTE_MS) * MINUTE_MS);
    // The watermark moves a minute at a time: most calls find it there already and leave the
    // writers alone (the exclusive section waits for the batches in flight and holds back new ones).
    const { rows: current } = await this.pool.query<{ watermark: Date }>(`SELECT watermark FROM ingestion_rollup_state`);
    if (!(current[0] && current[0].watermark.getTime() >= target.getTime())) {
      await this.transaction({ maintenance: false, writers: 'exclusive' }, (client) =>
        client.query(`UPDATE ingestion_rollup_state SET watermark = greatest(watermark, $1)`, [target]),
      );
    }
    let budget = sliceMs;
    for (;;) {
      const step = await this.transaction({ maintenance: true, writers: 'none' }, async (client) => {
        const { rows } = await client.query<{ watermark: Date; folded_to: Date; sliced_to: Date }>(`SELECT watermark, folded_to, sliced_to FROM ingestion_rollup_state`);
        const watermark = rows[0].watermark.getTime();
        let slicedTo = rows[0].sliced_to.getTime();
        let foldedTo = rows[0].folded_to.getTime();
        const pending = watermark - slicedTo;
        // Far behind (a restart, a stall): catch up an hour per transaction, then slice again.
        const catchingUp = pending > Math.max(CATCH_UP_MS, 3 * sliceMs);
        const room = catchingUp ? Number.POSITIVE_INFINITY : Math.min(budget, sliceMs);
        if (pending > 0 && room > 0) {
          const to = Math.min(watermark, slicedTo + room, Math.floor(slicedTo / HOUR_MS) * HOUR_MS + HOUR_MS);
          await slice(client, new Date(slicedTo), new Date(to));
          if (!catchingUp) budget -= to - slicedTo;
          slicedTo = to;
        }
        const closeTo = Math.floor(slicedTo / MINUTE_MS) * MINUTE_MS;
        if (closeTo > foldedTo) {
          await close(client, new Date(foldedTo), new Date(closeTo));
          foldedTo = closeTo;
        }
        await client.query(`UPDATE ingestion_rollup_state SET sliced_to = $1, folded_to = $2`, [new Date(slicedTo), new Date(foldedTo)]);
        return { foldedTo, done: slicedTo >= watermark || (!catchingUp && budget <= 0) };
      });
      if (step.done) return new Date(step.foldedTo);
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

/** Aggregates raw samples of [from, to) into the partial minute rows, merged with earlier slices. */
async function slice(client: PoolClient, from: Date, to: Date): Promise<void> {
  // A background job on the ingestion database: one core (no parallel workers), and groups are
  // hashed (one per tag and minute) rather than millions of rows sorted — on a fresh day partition
  // without statistics the planner would otherwise pick a sort that spills to disk.
  await client.query(`SET LOCAL max_parallel_workers_per_gather = 0`);
  await client.query(`SET LOCAL enable_sort = off`);
  await client.query(`SET LOCAL work_mem = '64MB'`);
  // Slices cover disjoint times, so counts and sums add, and first/last come from one side.
  const earlier = `t.first_time IS NULL OR excluded.first_time < t.first_time`;
  const later = `t.last_time IS NULL OR excluded.last_time > t.last_time`;
  await client.query(
    `INSERT INTO ingestion_rollup_open AS t (${ROLLUP_COLUMNS})
     SELECT * FROM (${withFirstLastValues(
       `SELECT r.tag_id, date_bin(INTERVAL '1 minute', r.time, ${ORIGIN}) AS bucket, ${rawStatsSelect('r')}
        FROM ingestion_samples r WHERE r.time >= $1 AND r.time < $2
        GROUP BY 1, 2`,
     )}) m
     ON CONFLICT (tag_id, bucket) DO UPDATE SET
       sample_count = t.sample_count + excluded.sample_count,
       good_count = t.good_count + excluded.good_count,
       usable_count = t.usable_count + excluded.usable_count,
       value_sum = t.value_sum + excluded.value_sum,
       value_min = least(t.value_min, excluded.value_min),
       value_max = greatest(t.value_max, excluded.value_max),
       first_time = CASE WHEN ${earlier} THEN excluded.first_time ELSE t.first_time END,
       first_value = CASE WHEN ${earlier} THEN excluded.first_value ELSE t.first_value END,
       last_time = CASE WHEN ${later} THEN excluded.last_time ELSE t.last_time END,
       last_value = CASE WHEN ${later} THEN excluded.last_value ELSE t.last_value END`,
    [from, to],
  );
}

/** Moves the complete minutes of [from, to) to the 1-minute rollup, then rebuilds their hours. */
async function close(client: PoolClient, from: Date, to: Date): Promise<void> {
  await client.query(
    `WITH moved AS (DELETE FROM ingestion_rollup_open WHERE bucket >= $1 AND bucket < $2 RETURNING ${ROLLUP_COLUMNS})
     INSERT INTO ingestion_rollup_1m AS t (${ROLLUP_COLUMNS})
     SELECT ${ROLLUP_COLUMNS} FROM moved ORDER BY tag_id, bucket
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
     agg AS (${withFirstLastValues(
       `SELECT d.tag_id, d.bucket, ${rawStatsSelect('r')}
        FROM d LEFT JOIN ingestion_samples r
          ON r.tag_id = d.tag_id AND r.time >= d.bucket AND r.time < d.bucket + INTERVAL '1 minute'
        GROUP BY d.tag_id, d.bucket`,
     )}),
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
