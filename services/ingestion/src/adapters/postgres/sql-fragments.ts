/**
 * SQL shared by the write path, the rollup maintenance and the read path. Quality is stored as the
 * OPC UA StatusCode reinterpreted as a signed int4; its severity bits are the two top bits.
 */

/** Bucket origin: buckets are aligned on the Unix epoch, in UTC. */
export const ORIGIN = `TIMESTAMPTZ '1970-01-01 00:00:00+00'`;

/** Good quality: severity bits 00 (mask 0xC0000000 as int4). */
export const GOOD = (q = 'quality') => `(${q} & -1073741824) = 0`;

/**
 * A usable sample of the row alias `r` (none: unqualified columns): good or uncertain quality (the
 * top bit clear, mask 0x80000000 as int4) and a value (an outage may be stored as NaN with a Bad or
 * Uncertain status; PostgreSQL compares NaN equal to itself).
 */
export const USABLE = (r?: string) => {
  const p = r ? `${r}.` : '';
  return `((${p}quality & -2147483648) = 0 AND ${p}value <> 'NaN'::float8)`;
};

/** Rollup columns, in table order. */
export const ROLLUP_COLUMNS =
  'tag_id, bucket, sample_count, good_count, usable_count, value_sum, value_min, value_max, first_time, first_value, last_time, last_value';

/**
 * Statistics of raw rows (alias `r`; a LEFT JOINed alias is fine: count(r.tag_id) ignores the nulls)
 * up to the first and last times; withFirstLastValues adds the values at those times. Value
 * statistics use usable samples only. Only plain aggregates here: per-group sorts (array_agg
 * ORDER BY) made folding a minute of a busy plant cost about as much CPU as inserting it.
 */
export function rawStatsSelect(r = 'r'): string {
  const usable = USABLE(r);
  return `count(${r}.tag_id) AS sample_count,
    count(${r}.tag_id) FILTER (WHERE ${GOOD(`${r}.quality`)}) AS good_count,
    count(${r}.tag_id) FILTER (WHERE ${usable}) AS usable_count,
    coalesce(sum(${r}.value) FILTER (WHERE ${usable}), 0) AS value_sum,
    min(${r}.value) FILTER (WHERE ${usable}) AS value_min,
    max(${r}.value) FILTER (WHERE ${usable}) AS value_max,
    min(${r}.time) FILTER (WHERE ${usable}) AS first_time,
    max(${r}.time) FILTER (WHERE ${usable}) AS last_time`;
}

/**
 * Full rollup rows (ROLLUP_COLUMNS) from a query of `tag_id, bucket, rawStatsSelect(…)`: the first
 * and last values are looked up by primary key at the first and last usable times (ties by `seq`:
 * lowest first, highest last), two index probes per bucket. One statement, one snapshot: the
 * lookups see exactly the rows aggregated.
 */
export function withFirstLastValues(stats: string): string {
  const usable = USABLE('s');
  return `SELECT g.tag_id, g.bucket, g.sample_count, g.good_count, g.usable_count, g.value_sum, g.value_min, g.value_max,
      g.first_time, fv.value AS first_value, g.last_time, lv.value AS last_value
    FROM (${stats}) g
    LEFT JOIN LATERAL (SELECT s.value FROM ingestion_samples s WHERE s.tag_id = g.tag_id AND s.time = g.first_time AND ${usable} ORDER BY s.seq LIMIT 1) fv ON true
    LEFT JOIN LATERAL (SELECT s.value FROM ingestion_samples s WHERE s.tag_id = g.tag_id AND s.time = g.last_time AND ${usable} ORDER BY s.seq DESC LIMIT 1) lv ON true`;
}

/** Statistics combined from finer rollup rows (alias `r`). */
export function rollupStatsSelect(r = 'r'): string {
  return `coalesce(sum(${r}.sample_count), 0)::bigint AS sample_count,
    coalesce(sum(${r}.good_count), 0)::bigint AS good_count,
    coalesce(sum(${r}.usable_count), 0)::bigint AS usable_count,
    coalesce(sum(${r}.value_sum), 0) AS value_sum,
    min(${r}.value_min) AS value_min,
    max(${r}.value_max) AS value_max,
    min(${r}.first_time) AS first_time,
    (array_agg(${r}.first_value ORDER BY ${r}.first_time) FILTER (WHERE ${r}.first_time IS NOT NULL))[1] AS first_value,
    max(${r}.last_time) AS last_time,
    (array_agg(${r}.last_value ORDER BY ${r}.last_time DESC) FILTER (WHERE ${r}.last_time IS NOT NULL))[1] AS last_value`;
}

/** ON CONFLICT clause that overwrites a rollup row with a recomputed one. */
export const OVERWRITE_ROLLUP = `ON CONFLICT (tag_id, bucket) DO UPDATE SET
    sample_count = excluded.sample_count, good_count = excluded.good_count, usable_count = excluded.usable_count,
    value_sum = excluded.value_sum, value_min = excluded.value_min, value_max = excluded.value_max,
    first_time = excluded.first_time, first_value = excluded.first_value,
    last_time = excluded.last_time, last_value = excluded.last_value`;

/** Advisory lock key held shared by writers, exclusively to move the watermark or recompute buckets. */
export const ROLLUP_LOCK = `hashtext('reflux_ingestion_rollups')`;

/** Advisory lock key serialising rollup materialisation and recomputation. */
export const MAINTENANCE_LOCK = `hashtext('reflux_ingestion_rollup_maintenance')`;

/** Columns of `ingestion_samples`, native and TimescaleDB alike. */
export const SAMPLE_COLUMNS = `tag_id text NOT NULL,
     time timestamptz NOT NULL,
     seq bigint NOT NULL DEFAULT 0,
     value double precision NOT NULL,
     quality integer NOT NULL,
     -- times the sample was replaced (duplicate policy "replace"); tells the writer which rows changed
     revision integer NOT NULL DEFAULT 0`;
