import { isUsable, StatusCodes, worstOf } from './quality';
import type { Sample } from './sample';

/**
 * Value of a tag at instant `t` from its neighbours: `prev` (last usable sample at or before `t`) and
 * `next` (first usable sample after `t`). Continuous tags interpolate linearly; stepped tags hold the
 * previous value. The quality is the worse of the neighbours used. After the last sample the last
 * value is held with quality UncertainLastUsableValue; before the first there is no value.
 */
export function interpolateAt(t: number, prev: Sample | undefined, next: Sample | undefined, stepped: boolean): { value: number; quality: number } | undefined {
  if (!prev) return undefined;
  if (prev.timeMs === t) return { value: prev.value, quality: prev.quality };
  if (!next) return { value: prev.value, quality: worstOf(prev.quality, StatusCodes.UncertainLastUsableValue) };
  if (stepped) return { value: prev.value, quality: prev.quality };
  const f = (t - prev.timeMs) / (next.timeMs - prev.timeMs);
  return { value: prev.value + (next.value - prev.value) * f, quality: worstOf(prev.quality, next.quality) };
}

/**
 * Time-weighted average over [startMs, endMs) from usable samples: `before` is the last usable sample
 * before the window, `inside` the usable samples within it in time order, `after` the first usable
 * sample at or after its end.
 *
 * - stepped: each value holds until the next sample (sample-and-hold).
 * - linear: the signal is the straight line between consecutive samples (trapezoids); the window
 *   edges take interpolated values. After the last known sample the value is held.
 *
 * Without a sample before the window, the average covers the time from the first sample onwards.
 * Returns undefined when no value is known anywhere in the window.
 */
export function timeWeightedAverage(
  startMs: number,
  endMs: number,
  before: Sample | undefined,
  inside: readonly Sample[],
  after: Sample | undefined,
  stepped: boolean,
): number | undefined {
  const pts: { t: number; v: number }[] = [];
  if (before) {
    const v = stepped ? before.value : interpolateLinear(before, inside[0] ?? after, startMs);
    pts.push({ t: startMs, v });
  }
  for (const s of inside) if (s.timeMs >= startMs && s.timeMs < endMs) pts.push({ t: s.timeMs, v: s.value });
  if (pts.length === 0) return undefined;
  const last = pts[pts.length - 1];
  const lastSample = inside.length > 0 ? inside[inside.length - 1] : before;
  const endValue = stepped || !after || !lastSample ? last.v : interpolateLinear(lastSample, after, endMs);
  pts.push({ t: endMs, v: endValue });
  let area = 0;
  for (let i = 0; i + 1 < pts.length; i++) {
    const dt = pts[i + 1].t - pts[i].t;
    area += stepped ? pts[i].v * dt : ((pts[i].v + pts[i + 1].v) / 2) * dt;
  }
  const span = endMs - pts[0].t;
  return span > 0 ? area / span : pts[0].v;
}

function interpolateLinear(a: Sample, b: Sample | undefined, t: number): number {
  if (!b || b.timeMs === a.timeMs) return a.value;
  return a.value + ((b.value - a.value) * (t - a.timeMs)) / (b.timeMs - a.timeMs);
}

/** Keeps the samples whose value may enter statistics (good or uncertain quality). */
export const usableOnly = (samples: readonly Sample[]): Sample[] => samples.filter((s) => isUsable(s.quality));
