import { regularizedBeta } from './beta';

function checkDof(d1: number, d2: number, fn: string): void {
  if (!(d1 > 0 && d2 > 0 && Number.isFinite(d1) && Number.isFinite(d2))) throw new RangeError(`${fn}: degrees of freedom must be finite and > 0, got ${d1}, ${d2}`);
}

/** F-distribution CDF P(X ≤ x) with d1 (numerator) and d2 (denominator) degrees of freedom. */
export function fCdf(x: number, d1: number, d2: number): number {
  checkDof(d1, d2, 'fCdf');
  if (x <= 0) return 0;
  return regularizedBeta((d1 * x) / (d1 * x + d2), d1 / 2, d2 / 2);
}

/** Upper tail P(X > x), computed on the complementary beta argument so tiny tails keep precision. */
export function fSurvival(x: number, d1: number, d2: number): number {
  checkDof(d1, d2, 'fSurvival');
  if (x <= 0) return 1;
  return regularizedBeta(d2 / (d2 + d1 * x), d2 / 2, d1 / 2);
}

/**
 * F quantile: the x with P(X ≤ x) = p. Bisection on log x over [1e-300, 1e300] against the
 * survival function (monotone), 2 000 halvings at most, to ~1e-14 relative.
 */
export function fQuantile(p: number, d1: number, d2: number): number {
  checkDof(d1, d2, 'fQuantile');
  if (!(p >= 0 && p < 1)) throw new RangeError(`fQuantile: p must lie in [0, 1), got ${p}`);
  if (p === 0) return 0;
  const tail = 1 - p;
  let lo = -690;
  let hi = 690;
  for (let i = 0; i < 2000 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); i++) {
    const mid = (lo + hi) / 2;
    if (fSurvival(Math.exp(mid), d1, d2) > tail) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}
