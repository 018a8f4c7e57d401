/**
 * SQL shared by the write path, the rollup maintenance and the read path. Quality is stored as the
 * OPC UA StatusCode reinterpreted as a signed int4; its severity bits are the two top bits.
 */

/** Bucket origin: buckets are aligned on the Unix epoch, in UTC. */
export const ORIGIN = `TIMESTAMPTZ '1970-01-01 00:00:00+00'`;

/** Good quality: severity bits 00 (mask 0xC0000000 as int4). */
export const GOOD = (q = 'quality') => `(${q} & -1073741824) = 0`;

/** Usable quality (good or uncertain): the top bit clear (mask 0x80000000 as int4). */
export const USABLE = (q = 'quality') => `(${q} & -2147483648) = 0`;

/** Rollup columns, in table order. */
export const ROLLUP_COLUMNS =
  'tag_id, bucket, sample_count, good_count, usable_count, value_sum, value_min, value_max, first_time, first_value, last_time, last_value';

/**
 * Statistics of raw rows (alias `r`; a LEFT JOINed alias is fine: count(r.tag_id) ignores the nulls).
 * Value statistics use usable samples only; `first`/`last` order ties by `seq`.
 */
export function rawStatsSelect(r = 'r'): string {
  const usable = USABLE(`${r}.quality`);
  return `count(${r}.tag_id) AS sample_count,
    count(${r}.tag_id) FILTER (WHERE ${GOOD(`${r}.quality`)}) AS good_count,
    count(${r}.tag_id) FILTER (WHERE ${usable}) AS usable_count,
    coalesce(sum(${r}.value) FILTER (WHERE ${usable}), 0) AS value_sum,
    min(${r}.value) FILTER (WHERE ${usable}) AS value_min,
    max(${r}.value) FILTER (WHERE ${usable}) AS value_max,
    min(${r}.time) FILTER (WHERE ${usable}) AS first_time,
    (array_agg(${r}.value ORDER BY ${r}.time, ${r}.seq) FILTER (WHERE ${usable}))[1] AS first_value,
    max(${r}.time) FILTER (WHERE ${usable}) AS last_time,
    (array_agg(${r}.value ORDER BY ${r}.time DESC, ${r}.seq DESC) FILTER (WHERE ${usable}))[1] AS last_value`;
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
