import { logGamma, regularizedGammaP, regularizedGammaQ } from './gamma';

/** χ² cumulative distribution with k degrees of freedom. */
export function chiSquareCdf(x: number, k: number): number {
  return x <= 0 ? 0 : regularizedGammaP(k / 2, x / 2);
}

/** Upper tail P(X > x), accurate for tiny p-values. */
export function chiSquareSurvival(x: number, k: number): number {
  return x <= 0 ? 1 : regularizedGammaQ(k / 2, x / 2);
}

function density(x: number, k: number): number {
  const a = k / 2;
  return Math.exp((a - 1) * Math.log(x) - x / 2 - a * Math.LN2 - logGamma(a));
}

/**
 * χ² quantile: the x with P(X ≤ x) = p. Wilson–Hilferty start, then safeguarded Newton on the CDF
 * (bisection whenever a step leaves the bracket), to ~1e-12 relative.
 */
export function chiSquareQuantile(p: number, k: number): number {
  if (!(k > 0)) throw new RangeError(`chiSquareQuantile: degrees of freedom must be > 0, got ${k}`);
  if (!(p >= 0 && p < 1)) throw new RangeError(`chiSquareQuantile: p must lie in [0, 1), got ${p}`);
  if (p === 0) return 0;
  // Wilson–Hilferty with a normal quantile approximation good enough for a starting point.
  const t = Math.sqrt(-2 * Math.log(p < 0.5 ? p : 1 - p));
  let z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  if (p < 0.5) z = -z;
  const c = 2 / (9 * k);
  let x = Math.max(1e-8, k * Math.pow(1 - c + z * Math.sqrt(c), 3));
  let lo = 0;
  let hi = Infinity;
  for (let i = 0; i < 200; i++) {
    const upperTail = p > 0.5;
    const f = upperTail ? 1 - p - chiSquareSurvival(x, k) : chiSquareCdf(x, k) - p;
    const g = upperTail ? f : f;
    if (g > 0) hi = Math.min(hi, x);
    else lo = Math.max(lo, x);
    let next = x - g / density(x, k);
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = Number.isFinite(hi) ? (lo + hi) / 2 : x * 2;
    if (Math.abs(next - x) <= 1e-13 * Math.max(1, x)) return next;
    x = next;
  }
  return x;
}
