import { z } from 'zod';
import { MonitoringError, MonitoringErrorCode } from '../monitoring.error';
import { zodViolations } from '../model/parse-model';
import { fQuantile } from '../stats/f-distribution';
import { fitLine } from './fit-line';

export const timeToLimitInputSchema = z
  .object({
    /** Sample times in seconds (any epoch), non-decreasing, with the values in the tag's unit. */
    points: z.array(z.object({ time_s: z.number().finite(), value: z.number().finite() }).strict()).min(3, 'needs at least 3 points'),
    /** The limit in the tag's unit, and whether crossing means rising above it (HH, H) or falling below it (L, LL). */
    limit: z.number().finite(),
    direction: z.enum(['above', 'below']),
    /** Two-sided confidence of the prediction band that bounds the time (default 0.9: 5 % each side). */
    confidence: z.number().gt(0.5).lt(1).default(0.9),
    /** "Now" in seconds; the last point's time by default. */
    now_s: z.number().finite().optional(),
    /** Look no further ahead than this (default 7 days). */
    horizon_s: z.number().positive().default(7 * 24 * 3600),
    /** `huber` (default) down-weights points far off the trend; `least-squares` is plain OLS. */
    method: z.enum(['huber', 'least-squares']).default('huber'),
  })
  .strict();

export type TimeToLimitInput = z.input<typeof timeToLimitInputSchema>;

export interface TimeToLimit {
  /**
   * `approaching`: the fitted trend reaches the limit within the horizon; `beyond-limit`: the
   * fitted value is already past it; `not-approaching`: the trend is flat or moves away, or reaches
   * the limit only beyond the horizon.
   */
  readonly status: 'approaching' | 'beyond-limit' | 'not-approaching';
  readonly slopePerSecond: number;
  readonly slopeStdError: number;
  readonly fittedNow: number;
  /** Seconds from now: the fitted line's crossing, and the earliest and latest crossings of the prediction band (latest null: the band may never reach it). */
  readonly estimate_s: number | null;
  readonly earliest_s: number | null;
  readonly latest_s: number | null;
}

/**
 * Time until a tag crosses a limit: a line over the window (Huber or least squares, see `fitLine`)
 * and its prediction band ŷ(t) ± t_{ν} s √(1 + 1/n + (t − t̄)² / Sxx) (ν = n − 2; for Huber, the
 * weighted sums and n = Σ weights, an approximation). The estimate is where the line meets the
 * limit; the earliest time where the near edge of the band does, the latest where the far edge does.
 * After the last point each edge is monotone while the trend heads for the limit, so bisection finds them.
 */
export function timeToLimit(input: TimeToLimitInput): TimeToLimit {
  const parsed = timeToLimitInputSchema.safeParse(input);
  if (!parsed.success) throw new MonitoringError(MonitoringErrorCode.invalidOptions, 'invalid trend input', zodViolations(parsed.error));
  const o = parsed.data;
  const pts = o.points;
  for (let i = 1; i < pts.length; i++) {
    if (pts[i]!.time_s < pts[i - 1]!.time_s) throw new MonitoringError(MonitoringErrorCode.invalidData, 'invalid trend input', [{ field: `points[${i}].time_s`, description: 'times must not decrease' }]);
  }
  if (pts[pts.length - 1]!.time_s === pts[0]!.time_s) throw new MonitoringError(MonitoringErrorCode.invalidData, 'invalid trend input', [{ field: 'points', description: 'all points share one time; a trend needs a time span' }]);
  const { intercept, slope, s, n, tBar, sxx } = fitLine(pts, o.method);
  const q = Math.sqrt(fQuantile(o.confidence, 1, Math.max(1, n - 2))); // two-sided Student t quantile
  const now = o.now_s ?? pts[pts.length - 1]!.time_s;
  const sign = o.direction === 'above' ? 1 : -1;
  // Distance still to go, positive while the limit lies ahead, for the line and each band edge.
  const half = (t: number) => q * s * Math.sqrt(1 + 1 / n + (t - tBar) ** 2 / sxx);
  const line = (t: number) => sign * (o.limit - intercept - slope * t);
  const near = (t: number) => line(t) - half(t);
  const far = (t: number) => line(t) + half(t);
  const base = { slopePerSecond: slope, slopeStdError: s / Math.sqrt(sxx), fittedNow: intercept + slope * now };
  if (line(now) <= 0) return { ...base, status: 'beyond-limit', estimate_s: 0, earliest_s: 0, latest_s: near(now) <= 0 && far(now) <= 0 ? 0 : firstCrossing(far, now, o.horizon_s) };
  const estimate = sign * slope > 0 ? (sign * (o.limit - intercept)) / (sign * slope) - now : null;
  if (estimate === null || estimate > o.horizon_s) return { ...base, status: 'not-approaching', estimate_s: null, earliest_s: firstCrossing(near, now, o.horizon_s), latest_s: null };
  return { ...base, status: 'approaching', estimate_s: estimate, earliest_s: firstCrossing(near, now, o.horizon_s) ?? 0, latest_s: firstCrossing(far, now, o.horizon_s) };
}

/** Seconds from `now` until `remaining` first drops to 0 (it decreases after `now`), or null within the horizon. */
function firstCrossing(remaining: (t: number) => number, now: number, horizon: number): number | null {
  if (remaining(now) <= 0) return 0;
  if (remaining(now + horizon) > 0) return null;
  let lo = 0;
  let hi = horizon;
  for (let i = 0; i < 200 && hi - lo > 1e-9 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (remaining(now + mid) > 0) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** "TI-101 will reach HH in about 12 min (between 8 and 19 min)". */
export function describeTimeToLimit(tag: string, limitName: string, r: TimeToLimit): string {
  const fmt = (sec: number) => (sec < 120 ? `${Math.round(sec)} s` : sec < 2 * 3600 ? `${Math.round(sec / 60)} min` : `${(sec / 3600).toFixed(1)} h`);
  if (r.status === 'beyond-limit') return `${tag} is past ${limitName}`;
  if (r.status === 'not-approaching' || r.estimate_s === null) return `${tag} is not heading for ${limitName}`;
  const range = `between ${fmt(r.earliest_s ?? 0)} and ${r.latest_s === null ? 'never' : fmt(r.latest_s)}`;
  return `${tag} will reach ${limitName} in about ${fmt(r.estimate_s)} (${range})`;
}
