import { chiSquareQuantile, normalQuantile } from '@reflux/reconciliation';
import { fQuantile } from '../stats/f-distribution';

/**
 * Hotelling T² limit for a new observation of a model with `components` scores fitted on
 * `samples` rows (Tracy, Young & Mason 1992; Chiang, Russell & Braatz 2001, eq. 4.14):
 * T²_α = a (N − 1)(N + 1) / (N (N − a)) · F_α(a, N − a).
 */
export function hotellingT2Limit(confidence: number, components: number, samples: number): number {
  const a = components;
  const n = samples;
  return ((a * (n - 1) * (n + 1)) / (n * (n - a))) * fQuantile(confidence, a, n - a);
}

/** θ_i = Σ λ_j^i over the residual (discarded) eigenvalues, i = 1, 2, 3. */
export function residualThetas(residualEigenvalues: readonly number[]): [number, number, number] {
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  for (const l of residualEigenvalues) {
    const v = Math.max(0, l);
    t1 += v;
    t2 += v * v;
    t3 += v * v * v;
  }
  return [t1, t2, t3];
}

/**
 * SPE (Q) limit of Jackson & Mudholkar (1979): h0 = 1 − 2θ1θ3 / (3θ2²),
 * Q_α = θ1 [c_α √(2θ2h0²) / θ1 + 1 + θ2h0(h0 − 1) / θ1²]^(1/h0). Returns null when h0 ≤ 0 (the
 * approximation does not apply; use Box's). 0 when there is no residual variance.
 */
export function speLimitJacksonMudholkar(confidence: number, residualEigenvalues: readonly number[]): number | null {
  const [t1, t2, t3] = residualThetas(residualEigenvalues);
  if (t1 === 0) return 0;
  const h0 = 1 - (2 * t1 * t3) / (3 * t2 * t2);
  if (!(h0 > 0)) return null;
  const c = normalQuantile(confidence);
  const base = (c * Math.sqrt(2 * t2 * h0 * h0)) / t1 + 1 + (t2 * h0 * (h0 - 1)) / (t1 * t1);
  return base > 0 ? t1 * Math.pow(base, 1 / h0) : null;
}

/** SPE limit of Box (1954): SPE ≈ g χ²_h with g = θ2/θ1, h = θ1²/θ2 (Nomikos & MacGregor 1995). */
export function speLimitBox(confidence: number, residualEigenvalues: readonly number[]): number {
  const [t1, t2] = residualThetas(residualEigenvalues);
  if (t1 === 0) return 0;
  return (t2 / t1) * chiSquareQuantile(confidence, (t1 * t1) / t2);
}

/**
 * Limit of a statistic approximated by g χ²_h with its mean and variance matched
 * (g = v / 2m, h = 2m² / v; Box 1954, as Nomikos & MacGregor 1995 use it for SPE).
 */
export function momentMatchedLimit(confidence: number, mean: number, variance: number): number {
  if (!(mean > 0)) return 0;
  if (!(variance > 0)) return mean;
  return (variance / (2 * mean)) * chiSquareQuantile(confidence, (2 * mean * mean) / variance);
}

/** Asymptotic variance of an EWMA with weight λ of independent draws of variance v: v λ / (2 − λ). */
export function ewmaVariance(variance: number, lambda: number): number {
  return (variance * lambda) / (2 - lambda);
}

/** Mean and variance of the new-observation T² = a(N−1)(N+1)/(N(N−a)) · F(a, N − a) (N − a > 4). */
export function hotellingT2Moments(components: number, samples: number): { mean: number; variance: number } {
  const a = components;
  const d2 = samples - a;
  const c = (a * (samples - 1) * (samples + 1)) / (samples * (samples - a));
  if (d2 <= 4) return { mean: d2 > 2 ? (c * d2) / (d2 - 2) : c, variance: Infinity };
  return { mean: (c * d2) / (d2 - 2), variance: (c * c * 2 * d2 * d2 * (a + d2 - 2)) / (a * (d2 - 2) ** 2 * (d2 - 4)) };
}

/** Mean θ1 and variance 2θ2 of SPE under the model (Jackson & Mudholkar 1979). */
export function speMoments(residualEigenvalues: readonly number[]): { mean: number; variance: number } {
  const [t1, t2] = residualThetas(residualEigenvalues);
  return { mean: t1, variance: 2 * t2 };
}
