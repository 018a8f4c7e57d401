export interface BucketAggregate {
  readonly startMs: number;
  readonly endMs: number;
  readonly count: number;
  readonly goodShare?: number;
  readonly twa?: number;
}

/**
 * Combines bucket aggregates into the window's time-weighted average: each bucket weighs with the
 * part of it inside [fromMs, toMs). With two or more buckets holding a value, the uncertainty of
 * the average is the weighted standard deviation of the bucket averages over √(effective count)
 * (their standard error). `coverage` is the share of the window covered by buckets holding a
 * value. Undefined when no bucket has a value.
 */
export function windowAverage(
  buckets: readonly BucketAggregate[],
  fromMs: number,
  toMs: number,
): { value: number; standardDeviation?: number; sampleCount: number; goodShare?: number; coverage: number } | undefined {
  let weight = 0;
  let sum = 0;
  let count = 0;
  let good = 0;
  const weighted: { w: number; v: number }[] = [];
  for (const b of buckets) {
    count += b.count;
    if (b.goodShare !== undefined) good += b.goodShare * b.count;
    if (b.twa === undefined || !Number.isFinite(b.twa)) continue;
    const w = Math.max(0, Math.min(b.endMs, toMs) - Math.max(b.startMs, fromMs));
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
  return { value, standardDeviation, sampleCount: count, goodShare: count > 0 ? good / count : undefined, coverage: Math.min(1, weight / (toMs - fromMs)) };
}
