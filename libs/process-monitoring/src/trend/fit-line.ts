/** A straight line fitted to (time, value) points, with what its prediction band needs. */
export interface FittedLine {
  readonly intercept: number;
  readonly slope: number;
  /** Residual standard deviation (of the weighted residuals for Huber). */
  readonly s: number;
  /** Number of points, or the sum of the Huber weights. */
  readonly n: number;
  readonly tBar: number;
  readonly sxx: number;
}

interface Point {
  readonly time_s: number;
  readonly value: number;
}

function weightedLine(points: readonly Point[], w: readonly number[]): FittedLine {
  const n = w.reduce((a, b) => a + b, 0);
  const tBar = points.reduce((a, p, i) => a + w[i]! * p.time_s, 0) / n;
  const yBar = points.reduce((a, p, i) => a + w[i]! * p.value, 0) / n;
  let sxx = 0;
  let sxy = 0;
  points.forEach((p, i) => {
    sxx += w[i]! * (p.time_s - tBar) ** 2;
    sxy += w[i]! * (p.time_s - tBar) * (p.value - yBar);
  });
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = yBar - slope * tBar;
  const sse = points.reduce((a, p, i) => a + w[i]! * (p.value - intercept - slope * p.time_s) ** 2, 0);
  return { intercept, slope, s: Math.sqrt(sse / Math.max(1e-12, n - 2)), n, tBar, sxx };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Ordinary least squares, or Huber's M-estimator (k = 1.345 robust standard deviations, scale from
 * the median absolute residual, iteratively reweighted least squares from the OLS start): points far
 * off the trend (a spike, a bad sample) get weight k/|r| instead of pulling the line.
 */
export function fitLine(points: readonly Point[], method: 'least-squares' | 'huber'): FittedLine {
  let w = points.map(() => 1);
  let line = weightedLine(points, w);
  if (method === 'least-squares') return line;
  for (let iteration = 0; iteration < 50; iteration++) {
    const r = points.map((p) => p.value - line.intercept - line.slope * p.time_s);
    const sigma = 1.4826 * median(r.map(Math.abs));
    if (!(sigma > 0)) break;
    const k = 1.345 * sigma;
    const next = r.map((x) => (Math.abs(x) <= k ? 1 : k / Math.abs(x)));
    const change = next.reduce((a, x, i) => Math.max(a, Math.abs(x - w[i]!)), 0);
    w = next;
    line = weightedLine(points, w);
    if (change < 1e-10) break;
  }
  return line;
}
