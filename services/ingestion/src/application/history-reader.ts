import { createHash } from 'node:crypto';
import { StatusCodes } from '../domain/quality';
import type { FieldViolation } from '../domain/ingestion.errors';
import { AggregateFunctions, checkRange, checkTags, DEFAULT_READ_LIMITS, throwIfAny, type AggregateFunction, type ReadLimits } from '../domain/read-limits';
import type { Sample } from '../domain/sample';
import type { TagDefinition } from '../domain/tag-definition';
import { interpolateAt, timeWeightedStats } from '../domain/time-weighting';
import { isValidTimeZone, localDays } from '@reflux/plant-model';
import type { LatestSampleSource } from './latest-sample-source.port';
import type { BucketStats, RawPosition, SampleHistoryStore, StoredSample } from './sample-store.port';
import type { TagCatalog } from './tag-catalog.port';

export interface ReadRawQuery {
  readonly tagIds: readonly string[];
  readonly fromMs: number;
  readonly toMs: number;
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface AggregatesQuery {
  readonly tagIds: readonly string[];
  readonly fromMs: number;
  readonly toMs: number;
  readonly bucketS: number;
  readonly functions: readonly AggregateFunction[];
  /**
   * IANA time zone of the plant: buckets are then local days (bucketS must be 86 400), from local
   * midnight to local midnight — 23 or 25 hours on the days clocks change.
   */
  readonly timeZone?: string;
}

export interface AggregateBucket {
  readonly startMs: number;
  readonly endMs: number;
  /** Samples in the bucket, any quality. */
  readonly count: number;
  /**
   * Share (0..1) of the bucket's time with a usable value of good quality (PI's percent good, by
   * time); set when `goodShare`, `coverage` or `twa` is asked for.
   */
  readonly goodShare?: number;
  /** Share (0..1) of the bucket's time with a usable value: an outage (a Bad sample) up to the next usable sample is not covered. */
  readonly coverage?: number;
  /** Value statistics over good and uncertain samples; undefined when there are none. */
  readonly avg?: number;
  readonly min?: number;
  readonly max?: number;
  readonly first?: number;
  readonly last?: number;
  /** Time-weighted average over the covered time (linear for continuous tags, step for stepped ones). */
  readonly twa?: number;
}

export interface InterpolatedValue {
  readonly timeMs: number;
  /** Undefined before the first sample (quality BadNoData) and inside an outage (the quality of the Bad sample that began it). */
  readonly value?: number;
  readonly quality: number;
}

export interface TagPage {
  readonly tags: TagDefinition[];
  readonly nextPageToken?: string;
}

/**
 * Read side of ingestion: raw history (keyset-paged), latest values, bucketed statistics and
 * interpolated values, each validated against `ReadLimits` with field-level errors.
 */
export class HistoryReader {
  constructor(
    private readonly deps: { store: SampleHistoryStore; latest: LatestSampleSource; catalog: TagCatalog },
    private readonly limits: ReadLimits = DEFAULT_READ_LIMITS,
    /** False computes every statistic from raw samples (for verification). */
    private readonly useRollups = true,
  ) {}

  async readRaw(q: ReadRawQuery): Promise<{ samples: StoredSample[]; nextPageToken?: string }> {
    const v: FieldViolation[] = [];
    checkTags(q.tagIds, this.limits, v);
    checkRange(q.fromMs, q.toMs, this.limits, v);
    if (!Number.isInteger(q.pageSize) || q.pageSize < 1 || q.pageSize > this.limits.maxPoints) {
      v.push({ field: 'page_size', description: `must be an integer from 1 to ${this.limits.maxPoints}` });
    }
    const fingerprint = queryFingerprint(q);
    let after: RawPosition | undefined;
    if (q.pageToken) {
      after = decodePageToken(q.pageToken, fingerprint);
      if (!after) v.push({ field: 'page_token', description: 'is not a token returned by this query' });
    }
    throwIfAny(v);
    const rows = await this.deps.store.readRaw(q.tagIds, q.fromMs, q.toMs, after, q.pageSize + 1);
    if (rows.length <= q.pageSize) return { samples: rows };
    const samples = rows.slice(0, q.pageSize);
    const last = samples[samples.length - 1];
    return { samples, nextPageToken: encodePageToken({ tagId: last.tagId, timeMs: last.timeMs, seq: last.seq }, fingerprint) };
  }

  /** Latest sample per tag (any quality), from the latest-value cache, the database for cache misses (CachedLatestSamples). */
  async getLatest(tagIds: readonly string[]): Promise<Sample[]> {
    const v: FieldViolation[] = [];
    checkTags(tagIds, this.limits, v);
    throwIfAny(v);
    const latest = await this.deps.latest.latest(tagIds);
    return tagIds.map((id) => latest.get(id)).filter((s): s is Sample => s !== undefined);
  }

  async readAggregates(q: AggregatesQuery): Promise<Map<string, AggregateBucket[]>> {
    const v: FieldViolation[] = [];
    checkTags(q.tagIds, this.limits, v);
    checkRange(q.fromMs, q.toMs, this.limits, v);
    const bucketMs = q.bucketS * 1000;
    if (!Number.isInteger(bucketMs) || bucketMs < 1) v.push({ field: 'bucket_s', description: 'must be a positive whole number of milliseconds' });
    else if (Number.isFinite(q.toMs - q.fromMs) && Array.isArray(q.tagIds) && Math.ceil((q.toMs - q.fromMs) / bucketMs + 1) * q.tagIds.length > this.limits.maxPoints) {
      v.push({ field: 'bucket_s', description: `range / bucket × tags exceeds ${this.limits.maxPoints} values; widen the bucket or narrow the range` });
    }
    if (q.timeZone !== undefined) {
      if (Number.isFinite(q.toMs - q.fromMs) && Array.isArray(q.tagIds) && ((q.toMs - q.fromMs) / QUARTER_HOUR_MS) * q.tagIds.length > this.limits.maxPoints) {
        v.push({ field: 'range', description: `local days are built from quarter hours: range / 15 min × tags exceeds ${this.limits.maxPoints}; narrow the range or ask for fewer tags` });
      }
      if (!isValidTimeZone(q.timeZone)) v.push({ field: 'time_zone', description: `"${q.timeZone}" is not an IANA time zone (e.g. Europe/Berlin)` });
      else if (q.bucketS !== 86_400) v.push({ field: 'bucket_width', description: 'must be one day (86400 s) with a time zone: buckets are local days' });
    }
    (q.functions ?? []).forEach((f, i) => {
      if (!AggregateFunctions.includes(f)) v.push({ field: `functions[${i}]`, description: `must be one of ${AggregateFunctions.join(', ')}` });
    });
    throwIfAny(v);

    const windows = q.timeZone !== undefined ? localDays(q.fromMs, q.toMs, q.timeZone).map((d) => ({ startMs: d.startMs, endMs: d.endMs })) : epochWindows(q.fromMs, q.toMs, bucketMs);
    const byTag = new Map<string, AggregateBucket[]>(q.tagIds.map((id) => [id, []]));
    if (q.timeZone === undefined) {
      const stats = await this.deps.store.bucketStats(q.tagIds, q.fromMs, q.toMs, bucketMs, this.useRollups);
      for (const s of stats) byTag.get(s.tagId)?.push(bucketOf(s, bucketMs));
    } else {
      // Local days from quarter-hour statistics (every zone's offset is a multiple of 15 minutes).
      const stats = await this.deps.store.bucketStats(q.tagIds, q.fromMs, q.toMs, QUARTER_HOUR_MS, this.useRollups);
      for (const tagId of q.tagIds) byTag.set(tagId, mergeIntoWindows(stats.filter((s) => s.tagId === tagId), windows));
    }
    const tags = await this.deps.catalog.getTags(q.tagIds);
    if (q.functions.some((f) => TIME_BASED.includes(f))) {
      for (const tagId of q.tagIds) {
        byTag.set(tagId, await this.withTimeFigures(tagId, q, windows, byTag.get(tagId) ?? [], tags.get(tagId)?.stepped ?? false));
      }
    }
    // A digital tag's value is a state index: an average of states means nothing.
    for (const [tagId, buckets] of byTag) {
      if (tags.get(tagId)?.digitalStates) byTag.set(tagId, buckets.map((b) => ({ ...b, avg: undefined, twa: undefined })));
    }
    return byTag;
  }

  async readInterpolated(q: { tagIds: readonly string[]; instantsMs: readonly number[] }): Promise<Map<string, InterpolatedValue[]>> {
    const v: FieldViolation[] = [];
    checkTags(q.tagIds, this.limits, v);
    if (!Array.isArray(q.instantsMs) || q.instantsMs.length === 0) v.push({ field: 'times', description: 'must hold at least one instant' });
    else {
      q.instantsMs.forEach((t, i) => {
        if (!Number.isFinite(t)) v.push({ field: `times[${i}]`, description: 'must be a valid instant' });
      });
      if (Array.isArray(q.tagIds) && q.instantsMs.length * q.tagIds.length > this.limits.maxPoints) {
        v.push({ field: 'times', description: `instants × tags exceeds ${this.limits.maxPoints}` });
      }
    }
    throwIfAny(v);
    const tags = await this.deps.catalog.getTags(q.tagIds);
    const out = new Map<string, InterpolatedValue[]>();
    for (const tagId of q.tagIds) {
      const stepped = tags.get(tagId)?.stepped ?? false;
      const neighbours = await this.deps.store.neighbours(tagId, q.instantsMs);
      out.set(
        tagId,
        q.instantsMs.map((t, i) => {
          const r = interpolateAt(t, neighbours[i]?.prev, neighbours[i]?.next, stepped);
          return r ? { timeMs: t, value: r.value, quality: r.quality } : { timeMs: t, quality: StatusCodes.BadNoData };
        }),
      );
    }
    return out;
  }

  async listTags(q: { plantId?: string; pageSize: number; pageToken?: string }): Promise<TagPage> {
    if (!Number.isInteger(q.pageSize) || q.pageSize < 1 || q.pageSize > 10_000) {
      throwIfAny([{ field: 'page_size', description: 'must be an integer from 1 to 10000' }]);
    }
    const afterTagId = q.pageToken ? Buffer.from(q.pageToken, 'base64url').toString('utf8') : undefined;
    const tags = await this.deps.catalog.listTags({ plantId: q.plantId, afterTagId, limit: q.pageSize + 1 });
    if (tags.length <= q.pageSize) return { tags };
    const page = tags.slice(0, q.pageSize);
    return { tags: page, nextPageToken: Buffer.from(page[page.length - 1].id, 'utf8').toString('base64url') };
  }

  /** Time-weighted average, coverage and good share by time of each bucket, from raw samples of any quality. */
  private async withTimeFigures(tagId: string, q: AggregatesQuery, windows: readonly { startMs: number; endMs: number }[], buckets: AggregateBucket[], stepped: boolean): Promise<AggregateBucket[]> {
    // Time-based figures read raw samples: bounded like any response.
    const w = await this.deps.store.window(tagId, q.fromMs, q.toMs, this.limits.maxPoints + 1);
    if (w.inside.length > this.limits.maxPoints) {
      throwIfAny([{ field: 'functions', description: `the time-weighted figures (twa, coverage, good share) of ${tagId} would read more than ${this.limits.maxPoints} raw samples; narrow the range` }]);
    }
    const byStart = new Map(buckets.map((b) => [b.startMs, b]));
    const out: AggregateBucket[] = [];
    let i = 0;
    let before = w.before;
    for (const { startMs: start, endMs } of windows) {
      const lo = Math.max(start, q.fromMs);
      const hi = Math.min(endMs, q.toMs);
      const inside: Sample[] = [];
      while (i < w.inside.length && w.inside[i].timeMs < hi) inside.push(w.inside[i++]);
      const after = i < w.inside.length ? w.inside[i] : w.after;
      const t = timeWeightedStats(lo, hi, before, inside, after, stepped);
      if (inside.length > 0) before = inside[inside.length - 1];
      const b = byStart.get(start);
      if (b || t.coveredMs > 0) {
        out.push({ ...(b ?? { startMs: start, endMs, count: 0 }), goodShare: t.goodMs / (hi - lo), coverage: t.coveredMs / (hi - lo), twa: t.twa });
      }
    }
    return out;
  }
}

const TIME_BASED: readonly AggregateFunction[] = ['twa', 'goodShare', 'coverage'];
const QUARTER_HOUR_MS = 900_000;

/** Epoch-aligned buckets of `bucketMs` overlapping [fromMs, toMs). */
function epochWindows(fromMs: number, toMs: number, bucketMs: number): { startMs: number; endMs: number }[] {
  const out: { startMs: number; endMs: number }[] = [];
  for (let start = Math.floor(fromMs / bucketMs) * bucketMs; start < toMs; start += bucketMs) out.push({ startMs: start, endMs: start + bucketMs });
  return out;
}

/** Sample statistics of finer buckets (in time order) combined into the windows that hold them. */
function mergeIntoWindows(fine: readonly BucketStats[], windows: readonly { startMs: number; endMs: number }[]): AggregateBucket[] {
  const out: AggregateBucket[] = [];
  for (const w of windows) {
    const parts = fine.filter((f) => f.bucketStartMs >= w.startMs && f.bucketStartMs < w.endMs);
    if (parts.length === 0) continue;
    const usable = parts.reduce((a, p) => a + p.usableCount, 0);
    const sum = parts.reduce((a, p) => a + (p.valueSum ?? 0), 0);
    const mins = parts.map((p) => p.valueMin).filter((x): x is number => x !== null);
    const maxs = parts.map((p) => p.valueMax).filter((x): x is number => x !== null);
    out.push({
      startMs: w.startMs,
      endMs: w.endMs,
      count: parts.reduce((a, p) => a + p.sampleCount, 0),
      avg: usable > 0 ? sum / usable : undefined,
      min: mins.length > 0 ? Math.min(...mins) : undefined,
      max: maxs.length > 0 ? Math.max(...maxs) : undefined,
      first: parts.find((p) => p.firstValue !== null)?.firstValue ?? undefined,
      last: [...parts].reverse().find((p) => p.lastValue !== null)?.lastValue ?? undefined,
    });
  }
  return out;
}

function bucketOf(s: BucketStats, bucketMs: number): AggregateBucket {
  const usable = s.usableCount > 0;
  return {
    startMs: s.bucketStartMs,
    endMs: s.bucketStartMs + bucketMs,
    count: s.sampleCount,
    avg: usable && s.valueSum !== null ? s.valueSum / s.usableCount : undefined,
    min: s.valueMin ?? undefined,
    max: s.valueMax ?? undefined,
    first: s.firstValue ?? undefined,
    last: s.lastValue ?? undefined,
  };
}

function queryFingerprint(q: ReadRawQuery): string {
  return createHash('sha256').update(JSON.stringify([q.tagIds, q.fromMs, q.toMs])).digest('base64url').slice(0, 12);
}

function encodePageToken(p: RawPosition, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ f: fingerprint, t: p.tagId, m: p.timeMs, s: p.seq }), 'utf8').toString('base64url');
}

function decodePageToken(token: string, fingerprint: string): RawPosition | undefined {
  try {
    const o = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { f: string; t: string; m: number; s: number };
    if (o.f !== fingerprint || typeof o.t !== 'string' || !Number.isFinite(o.m) || !Number.isFinite(o.s)) return undefined;
    return { tagId: o.t, timeMs: o.m, seq: o.s };
  } catch {
    return undefined;
  }
}

