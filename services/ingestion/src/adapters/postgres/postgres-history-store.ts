import type { Pool } from 'pg';
import { fromSignedInt32 } from '../../domain/quality';
import type { Sample } from '../../domain/sample';
import type { BucketStats, RawPosition, SampleHistoryStore, StoredSample } from '../../application/sample-store.port';
import type { StorageMode } from './ingestion.schema';
import { planSources } from './source-plan';
import { ORIGIN, ROLLUP_COLUMNS, rawStatsSelect, rollupStatsSelect, withFirstLastValues } from './sql-fragments';

interface SampleRow {
  tag_id: string;
  time: Date;
  seq: string;
  value: number;
  quality: number;
}

const toSample = (r: { tag_id: string; time: Date; value: number; quality: number }): Sample => ({
  tagId: r.tag_id,
  timeMs: r.time.getTime(),
  value: r.value,
  quality: fromSignedInt32(r.quality),
});

interface StatsRow {
  tag_id: string;
  bucket: Date;
  sample_count: string;
  good_count: string;
  usable_count: string;
  value_sum: number;
  value_min: number | null;
  value_max: number | null;
  first_value: number | null;
  last_value: number | null;
}

const toStats = (r: StatsRow): BucketStats => ({
  tagId: r.tag_id,
  bucketStartMs: r.bucket.getTime(),
  sampleCount: Number(r.sample_count),
  goodCount: Number(r.good_count),
  usableCount: Number(r.usable_count),
  valueSum: r.value_sum,
  valueMin: r.value_min,
  valueMax: r.value_max,
  firstValue: r.first_value,
  lastValue: r.last_value,
});

/**
 * History queries over `ingestion_samples` and its rollups (native tables or continuous
 * aggregates). Rollup buckets queued in `ingestion_rollup_dirty` (touched by late writes) are read
 * from raw samples in both modes, so statistics are exact before the rollups catch up. The first
 * and last values of continuous aggregate rows are looked up at their first and last times by
 * (time, seq), as for raw samples: TimescaleDB's first()/last() leave ties at one time unordered.
 */
export class PostgresHistoryStore implements SampleHistoryStore {
  constructor(
    private readonly pool: Pool,
    private readonly mode: StorageMode,
  ) {}

  async readRaw(tagIds: readonly string[], fromMs: number, toMs: number, after: RawPosition | undefined, limit: number): Promise<StoredSample[]> {
    const params: unknown[] = [tagIds, new Date(fromMs), new Date(toMs), limit];
    let keyset = '';
    if (after) {
      params.push(after.tagId, new Date(after.timeMs), after.seq);
      keyset = 'AND (tag_id, time, seq) > ($5, $6, $7)';
    }
    const { rows } = await this.pool.query<SampleRow>(
      `SELECT tag_id, time, seq, value, quality FROM ingestion_samples
       WHERE tag_id = ANY($1) AND time >= $2 AND time < $3 ${keyset}
       ORDER BY tag_id, time, seq LIMIT $4`,
      params,
    );
    return rows.map((r) => ({ ...toSample(r), seq: Number(r.seq) }));
  }

  async latest(tagIds: readonly string[]): Promise<Map<string, Sample>> {
    const { rows } = await this.pool.query<SampleRow>(
      `SELECT t.tag_id, s.time, s.value, s.quality
       FROM unnest($1::text[]) AS t(tag_id)
       JOIN LATERAL (
         SELECT time, value, quality FROM ingestion_samples WHERE tag_id = t.tag_id ORDER BY time DESC, seq DESC LIMIT 1
       ) s ON true`,
      [tagIds],
    );
    return new Map(rows.map((r) => [r.tag_id, toSample(r)]));
  }

  async window(tagId: string, fromMs: number, toMs: number, maxInside: number): Promise<{ before?: Sample; inside: Sample[]; after?: Sample }> {
    const [b, i, a] = await Promise.all([
      this.pool.query<SampleRow>(
        `SELECT tag_id, time, value, quality FROM ingestion_samples WHERE tag_id = $1 AND time < $2 ORDER BY time DESC, seq DESC LIMIT 1`,
        [tagId, new Date(fromMs)],
      ),
      this.pool.query<SampleRow>(
        `SELECT tag_id, time, value, quality FROM ingestion_samples WHERE tag_id = $1 AND time >= $2 AND time < $3 ORDER BY time, seq LIMIT $4`,
        [tagId, new Date(fromMs), new Date(toMs), maxInside],
      ),
      this.pool.query<SampleRow>(
        `SELECT tag_id, time, value, quality FROM ingestion_samples WHERE tag_id = $1 AND time >= $2 ORDER BY time, seq LIMIT 1`,
        [tagId, new Date(toMs)],
      ),
    ]);
    return { before: b.rows[0] && toSample(b.rows[0]), inside: i.rows.map(toSample), after: a.rows[0] && toSample(a.rows[0]) };
  }

  async bucketStats(tagIds: readonly string[], fromMs: number, toMs: number, bucketMs: number, useRollups: boolean): Promise<BucketStats[]> {
    const materialisedTo = useRollups ? await this.materialisedTo(toMs) : fromMs;
    const parts = planSources(fromMs, toMs, bucketMs, materialisedTo);
    const params: unknown[] = [tagIds, bucketMs];
    const queued = (r: string, lo: string, hi: string) =>
      `EXISTS (SELECT 1 FROM ingestion_rollup_dirty d WHERE d.tag_id = ${r}.tag_id AND d.bucket >= ${lo} AND d.bucket < ${hi})`;
    const selects = parts.flatMap((p) => {
      params.push(new Date(p.lo), new Date(p.hi));
      const lo = `$${params.length - 1}`;
      const hi = `$${params.length}`;
      if (p.source === 'raw') {
        return [
          withFirstLastValues(
            `SELECT r.tag_id, date_bin($2 * INTERVAL '1 millisecond', r.time, ${ORIGIN}) AS bucket, ${rawStatsSelect('r')}
             FROM ingestion_samples r WHERE r.tag_id = ANY($1) AND r.time >= ${lo} AND r.time < ${hi} GROUP BY 1, 2`,
          ),
        ];
      }
      const inRange = `r.tag_id = ANY($1) AND r.bucket >= ${lo} AND r.bucket < ${hi}`;
      // Queued (dirty) minutes are read from raw samples; hours holding one from the 1-minute rollup.
      const hourOf = `date_bin(INTERVAL '1 hour', r.bucket, ${ORIGIN})`;
      const notQueuedMinute = `NOT ${queued('r', 'r.bucket', "r.bucket + INTERVAL '1 minute'")}`;
      const out = [
        withFirstLastValues(
          `SELECT s.tag_id, date_bin($2 * INTERVAL '1 millisecond', s.time, ${ORIGIN}) AS bucket, ${rawStatsSelect('s')}
           FROM (SELECT DISTINCT tag_id, bucket FROM ingestion_rollup_dirty WHERE tag_id = ANY($1) AND bucket >= ${lo} AND bucket < ${hi}) q
           JOIN ingestion_samples s ON s.tag_id = q.tag_id AND s.time >= q.bucket AND s.time < q.bucket + INTERVAL '1 minute'
           GROUP BY 1, 2`,
        ),
      ];
      const rollup = (sql: string) => (this.mode === 'timescaledb' ? withFirstLastValues(sql) : sql);
      if (p.source === '1m') {
        out.push(rollup(`SELECT ${ROLLUP_COLUMNS.replace(/(^|, )/g, '$1r.')} FROM ingestion_rollup_1m r WHERE ${inRange} AND ${notQueuedMinute}`));
      } else {
        out.push(
          rollup(`SELECT ${ROLLUP_COLUMNS.replace(/(^|, )/g, '$1r.')} FROM ingestion_rollup_1h r WHERE ${inRange} AND NOT ${queued('r', 'r.bucket', "r.bucket + INTERVAL '1 hour'")}`),
          rollup(`SELECT ${ROLLUP_COLUMNS.replace(/(^|, )/g, '$1r.')} FROM ingestion_rollup_1m r WHERE ${inRange}
             AND ${queued('r', hourOf, `${hourOf} + INTERVAL '1 hour'`)} AND ${notQueuedMinute}`),
        );
      }
      return out;
    });
    const { rows } = await this.pool.query<StatsRow>(
      `SELECT r.tag_id, date_bin($2 * INTERVAL '1 millisecond', r.bucket, ${ORIGIN}) AS bucket, ${rollupStatsSelect('r')}
       FROM (${selects.join(' UNION ALL ')}) r
       GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
    return rows.map(toStats);
  }

  /** Up to where rollups are complete: `folded_to` natively, everything with continuous aggregates. */
  private async materialisedTo(toMs: number): Promise<number> {
    if (this.mode === 'timescaledb') return toMs;
    const { rows } = await this.pool.query<{ folded_to: Date }>(`SELECT folded_to FROM ingestion_rollup_state`);
    return rows[0]?.folded_to.getTime() ?? Number.NEGATIVE_INFINITY;
  }

  async neighbours(tagId: string, instantsMs: readonly number[]): Promise<{ prev?: Sample; next?: Sample }[]> {
    const { rows } = await this.pool.query<{
      ord: string;
      p_time: Date | null;
      p_value: number | null;
      p_quality: number | null;
      n_time: Date | null;
      n_value: number | null;
      n_quality: number | null;
    }>(
      `SELECT i.ord, p.time AS p_time, p.value AS p_value, p.quality AS p_quality, n.time AS n_time, n.value AS n_value, n.quality AS n_quality
       FROM unnest($2::timestamptz[]) WITH ORDINALITY AS i(t, ord)
       LEFT JOIN LATERAL (
         SELECT time, value, quality FROM ingestion_samples
         WHERE tag_id = $1 AND time <= i.t ORDER BY time DESC, seq DESC LIMIT 1
       ) p ON true
       LEFT JOIN LATERAL (
         SELECT time, value, quality FROM ingestion_samples
         WHERE tag_id = $1 AND time > i.t ORDER BY time, seq LIMIT 1
       ) n ON true
       ORDER BY i.ord`,
      [tagId, instantsMs.map((t) => new Date(t))],
    );
    return rows.map((r) => ({
      prev: r.p_time ? toSample({ tag_id: tagId, time: r.p_time, value: r.p_value!, quality: r.p_quality! }) : undefined,
      next: r.n_time ? toSample({ tag_id: tagId, time: r.n_time, value: r.n_value!, quality: r.n_quality! }) : undefined,
    }));
  }
}
