import { solveBoxQp } from './box-qp';

/** Brute force: every combination of free / lower / upper, keep the best feasible stationary point. */
function bruteForce(H: number[][], lo: number[], hi: number[]): number[] {
  const k = H.length;
  let best: number[] | null = null;
  let bestF = Infinity;
  for (let code = 0; code < 3 ** k; code++) {
    const state = Array.from({ length: k }, (_, i) => Math.floor(code / 3 ** i) % 3);
    const d = state.map((s, i) => (s === 1 ? lo[i] : s === 2 ? hi[i] : 0));
    if (d.some((v) => !Number.isFinite(v))) continue;
    const free = state.flatMap((s, i) => (s === 0 ? [i] : []));
    // Solve H_FF d_F = −H_FB d_B by Gaussian elimination.
    const A = free.map((i) => [...free.map((j) => H[i][j]), -state.reduce((acc, s, j) => (s !== 0 ? acc + H[i][j] * d[j] : acc), 0)]);
    for (let c = 0; c < free.length; c++) for (let r = 0; r < free.length; r++) if (r !== c) {
      const f = A[r][c] / A[c][c];
      for (let q = c; q <= free.length; q++) A[r][q] -= f * A[c][q];
    }
    free.forEach((i, a) => (d[i] = A[a][free.length] / A[a][a]));
    if (d.some((v, i) => v < lo[i] - 1e-12 || v > hi[i] + 1e-12)) continue;
    const f = 0.5 * d.reduce((acc, v, i) => acc + v * H[i].reduce((t, h, j) => t + h * d[j], 0), 0);
    if (f < bestF) [bestF, best] = [f, d];
  }
  return best as number[];
}

describe('box-constrained QP', () => {
  it('matches brute-force enumeration of active sets on random strictly convex problems', () => {
    let seed = 17;
    const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let trial = 0; trial < 200; trial++) {
      const k = 1 + (trial % 4);
      const L = Array.from({ length: k }, () => Array.from({ length: k }, () => rand() - 0.5));
      const H = L.map((_, i) => L.map((__, j) => L[i].reduce((acc, v, q) => acc + v * L[j][q], 0) + (i === j ? 0.1 : 0)));
      const lo = Array.from({ length: k }, () => (rand() < 0.2 ? -Infinity : rand() * 4 - 1));
      const hi = lo.map((l) => (rand() < 0.3 ? Infinity : (Number.isFinite(l) ? l : -1) + rand() * 3));
      const d = solveBoxQp(H, lo, hi);
      const expected = bruteForce(H, lo, hi);
      d.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 8));
    }
  });
});
