import { isUsable, severityOf, StatusCodes, worstOf } from './quality';
import type { Sample } from './sample';

/**
 * A sample whose value may enter statistics and interpolation: good or uncertain quality and a
 * number (a Bad or Uncertain sample may carry NaN, as PI stores a system state without a value).
 */
export const isUsableSample = (s: Sample): boolean => isUsable(s.quality) && !Number.isNaN(s.value);

/**
 * Value of a tag at instant `t` from its neighbours of any quality: `prev` (the last sample at or
 * before `t`) and `next` (the first sample after `t`).
 *
 * - `prev` not usable (a Bad sample, an outage): no value, with `prev`'s quality — good data ended there.
 * - continuous tags interpolate linearly towards a usable `next`; stepped tags, and a `next` that is
 *   not usable (the outage starts there), hold `prev`'s value. The quality is the worse of the
 *   neighbours used.
 * - after the last sample the last value is held with quality UncertainLastUsableValue; before the
 *   first there is no value (undefined: BadNoData).
 */
export function interpolateAt(t: number, prev: Sample | undefined, next: Sample | undefined, stepped: boolean): { value?: number; quality: number } | undefined {
  if (!prev) return undefined;
  if (!isUsableSample(prev)) return { quality: severityOf(prev.quality) === 'bad' ? prev.quality : StatusCodes.BadNoData };
  if (prev.timeMs === t) return { value: prev.value, quality: prev.quality };
  if (!next) return { value: prev.value, quality: worstOf(prev.quality, StatusCodes.UncertainLastUsableValue) };
  if (stepped || !isUsableSample(next)) return { value: prev.value, quality: prev.quality };
  const f = (t - prev.timeMs) / (next.timeMs - prev.timeMs);
  return { value: prev.value + (next.value - prev.value) * f, quality: worstOf(prev.quality, next.quality) };
}

/** Time-based figures of a window. */
export interface TimeWeightedStats {
  /** Time-weighted average over the covered time; undefined when nothing is covered. */
  readonly twa?: number;
  /** Time with a usable value, ms. */
  readonly coveredMs: number;
  /** Time with a usable value of good quality, ms. */
  readonly goodMs: number;
}

/**
 * Time-weighted statistics over [startMs, endMs) from samples of any quality: `before` is the last
 * sample before the window, `inside` the samples within it in time order (equal times in write
 * order), `after` the first sample at or after its end.
 *
 * Each sample's value holds (stepped tags) or runs linearly to the next sample (continuous tags)
 * until the next sample. A sample that is not usable (Bad, or NaN) ends good data: the time from it
 * to the next usable sample has no value and is not covered, and the segment leading to it holds the
 * previous value instead of running towards it. After the last known sample its value is held to
 * the window end; before the first known sample nothing is covered. The good time is the covered
 * time whose segment starts at a sample of good quality (PI's percent good, by time).
 */
export function timeWeightedStats(
  startMs: number,
  endMs: number,
  before: Sample | undefined,
  inside: readonly Sample[],
  after: Sample | undefined,
  stepped: boolean,
): TimeWeightedStats {
  const pts: Sample[] = [];
  if (before) pts.push(before);
  for (const s of inside) if (s.timeMs >= startMs && s.timeMs < endMs) pts.push(s);
  if (after) pts.push(after);
  let area = 0;
  let covered = 0;
  let good = 0;
  for (let i = 0; i < pts.length; i++) {
    const a = pts[i];
    if (a.timeMs >= endMs) break;
    const b: Sample | undefined = pts[i + 1];
    const lo = Math.max(a.timeMs, startMs);
    const hi = Math.min(b ? b.timeMs : endMs, endMs);
    if (hi <= lo || !isUsableSample(a)) continue;
    const linear = !stepped && b !== undefined && isUsableSample(b) && b.timeMs > a.timeMs;
    const valueAt = (t: number) => (linear ? a.value + ((b.value - a.value) * (t - a.timeMs)) / (b.timeMs - a.timeMs) : a.value);
    const dt = hi - lo;
    area += ((valueAt(lo) + valueAt(hi)) / 2) * dt;
    covered += dt;
    if (severityOf(a.quality) === 'good') good += dt;
  }
  return { twa: covered > 0 ? area / covered : undefined, coveredMs: covered, goodMs: good };
}

/** Time-weighted average over [startMs, endMs) (see timeWeightedStats); undefined when nothing is covered. */
export function timeWeightedAverage(
  startMs: number,
  endMs: number,
  before: Sample | undefined,
  inside: readonly Sample[],
  after: Sample | undefined,
  stepped: boolean,
): number | undefined {
  return timeWeightedStats(startMs, endMs, before, inside, after, stepped).twa;
}
