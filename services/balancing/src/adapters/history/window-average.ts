export interface BucketAggregate {
  readonly startMs: number;
  readonly endMs: number;
  readonly count: number;
  /** Share of the bucket's time (its part inside the read range) with a good value, 0..1. */
  readonly goodShare?: number;
  /** Share of the bucket's time (its part inside the read range) with a usable value, 0..1. */
  readonly coverage?: number;
  readonly twa?: number;
}

/**
 * Combines bucket aggregates into the window's time-weighted average. Ingestion measures coverage
 * and good share by time (an outage — a Bad sample until the next usable one — is not covered), so
 * each bucket weighs with the covered time of its part inside [fromMs, toMs): a meter that lost
 * communication at 10:05 covers 5 of the 60 minutes of the 10–11 window however the window is
 * divided into buckets. Without a coverage figure (an older ingestion) a bucket holding a value
 * counts as covered. `coverage` and `goodShare` are shares of the window's time. With two or more
 * buckets holding a value, the uncertainty of the average is the weighted standard deviation of the
 * bucket averages over √(effective count) (their standard error). Undefined when no bucket has a
 * value.
 */
export function windowAverage(
  buckets: readonly BucketAggregate[],
  fromMs: number,
  toMs: number,
): { value: number; standardDeviation?: number; sampleCount: number; goodShare?: number; coverage: number } | undefined {
  let weight = 0;
  let sum = 0;
  let count = 0;
  let goodMs = 0;
  let goodKnown = false;
  const weighted: { w: number; v: number }[] = [];
  for (const b of buckets) {
    count += b.count;
    const overlap = Math.max(0, Math.min(b.endMs, toMs) - Math.max(b.startMs, fromMs));
    if (b.goodShare !== undefined) {
      goodKnown = true;
      goodMs += clamp01(b.goodShare) * overlap;
    }
    if (b.twa === undefined || !Number.isFinite(b.twa)) continue;
    const w = overlap * (b.coverage === undefined ? 1 : clamp01(b.coverage));
    if (w === 0) continue;
    weight += w;
    sum += w * b.twa;
    weighted.push({ w, v: b.twa });
  }
  if (weight === 0) return undefined;
  const value = sum / weight;
  let standardDeviation: number | undefined;
  if (weighted.length >= 2) {
    const variance = weighted.reduce((a, { w, v }) => a + w * (v - value) ** 2, 0) / weight;
    const sumW2 = weighted.reduce((a, { w }) => a + w * w, 0);
    const effective = (weight * weight) / sumW2;
    standardDeviation = Math.sqrt(variance / Math.max(1, effective - 1));
  }
  const windowMs = toMs - fromMs;
  return { value, standardDeviation, sampleCount: count, goodShare: goodKnown ? Math.min(1, goodMs / windowMs) : undefined, coverage: Math.min(1, weight / windowMs) };
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
