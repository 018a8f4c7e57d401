import type { Pool } from 'pg';
import type { LateBucketUpkeep } from './late-bucket-upkeep';
import { ORIGIN } from './sql-fragments';

const HOUR_MS = 3_600_000;
const DIRTY_CHUNK = 20_000;

/**
 * Samples written this long before the database clock, or earlier, queue their 1-minute buckets in
 * `ingestion_rollup_dirty` (TimescaleDB mode), s. A refresh materialises a bucket only once it
 * ended `end_offset` (1 minute for the 1-minute aggregate, 1 hour for the hourly one) before the
 * refresh started, and the refresher below keeps to the same minute; so a sample that is not queued
 * lies at least 30 s after the end of any bucket a refresh could have materialised without seeing it,
 * unless its transaction took longer than those 30 s between queueing and commit.
 */
export const TIMESCALE_LATE_AFTER_S = 30;

/**
 * Makes TimescaleDB's continuous aggregates exact for late writes. Real-time aggregation computes
 * buckets after the aggregate's watermark from raw samples, but a bucket before it is read as
 * materialised, stale until a refresh policy run reaches it (and never, beyond the policy's
 * start_offset). Writers queue the buckets of samples older than TIMESCALE_LATE_AFTER_S; readers
 * take queued buckets from raw samples; `recomputeDirty` refreshes the hours holding queued buckets
 * with `refresh_continuous_aggregate` (both aggregates) once the hour ended a minute ago, then
 * deletes exactly the queue entries it read: an entry committed after that read stays for the next
 * run, and every entry deleted belongs to a write committed before the refresh began.
 */
export class TimescaleRollupRefresher implements LateBucketUpkeep {
  private running?: Promise<unknown>;
  private again = false;

  constructor(private readonly pool: Pool) {}

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

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async recomputeDirty(): Promise<number> {
    let total = 0;
    for (;;) {
      const { rows } = await this.pool.query<{ id: string; hour: Date }>(
        `SELECT id, date_bin(INTERVAL '1 hour', bucket, ${ORIGIN}) AS hour FROM ingestion_rollup_dirty
         WHERE bucket < date_bin(INTERVAL '1 hour', now() - INTERVAL '1 minute', ${ORIGIN})
         ORDER BY id LIMIT ${DIRTY_CHUNK}`,
      );
      if (rows.length === 0) return total;
      for (const [lo, hi] of hourRanges(rows.map((r) => r.hour.getTime()))) {
        for (const view of ['ingestion_rollup_1m', 'ingestion_rollup_1h']) {
          await this.pool.query(`CALL refresh_continuous_aggregate('${view}', $1::timestamptz, $2::timestamptz)`, [new Date(lo), new Date(hi)]);
        }
      }
      await this.pool.query(`DELETE FROM ingestion_rollup_dirty WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      total += rows.length;
      if (rows.length < DIRTY_CHUNK) return total;
    }
  }
}

/** Contiguous [start, end) ranges covering the given hour starts, ms. */
export function hourRanges(hourStartsMs: readonly number[]): [number, number][] {
  const hours = [...new Set(hourStartsMs)].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const h of hours) {
    const last = ranges[ranges.length - 1];
    if (last && last[1] === h) last[1] = h + HOUR_MS;
    else ranges.push([h, h + HOUR_MS]);
  }
  return ranges;
}
