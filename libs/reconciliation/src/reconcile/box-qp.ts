import { spdInverse } from '../linalg/dense';

/**
 * min ½ dᵀ H d  s.t.  lo ≤ d ≤ hi, H symmetric positive definite and small (dense). Primal
 * active-set method from a feasible start (the projection of 0 on the box): solve on the free
 * variables with the working bounds fixed, step to the first blocking bound, and release the bound
 * whose multiplier has the wrong sign. Finite for a strictly convex problem.
 */
export function solveBoxQp(H: number[][], lo: readonly number[], hi: readonly number[], maxIterations = 1000): number[] {
  const k = H.length;
  const d = lo.map((l, i) => Math.min(Math.max(0, l), hi[i]));
  // working set: -1 at lower, +1 at upper, 0 free
  const w: number[] = d.map((v, i) => (v === lo[i] ? -1 : v === hi[i] ? 1 : 0));
  for (let it = 0; it < maxIterations; it++) {
    const free = w.flatMap((s, i) => (s === 0 ? [i] : []));
    let target = [...d];
    if (free.length > 0) {
      const Hff = free.map((i) => free.map((j) => H[i][j]));
      const rhs = free.map((i) => -w.reduce((acc, s, j) => (s !== 0 ? acc + H[i][j] * d[j] : acc), 0));
      const inv = spdInverse(Hff);
      if (!inv) throw new RangeError('box QP: Hessian is not positive definite');
      const dF = inv.map((row) => row.reduce((acc, v, j) => acc + v * rhs[j], 0));
      target = [...d];
      free.forEach((i, a) => (target[i] = dF[a]));
    }
    const p = target.map((v, i) => v - d[i]);
    const moves = p.some((v, i) => Math.abs(v) > 1e-14 * Math.max(1, Math.abs(d[i])));
    if (moves) {
      let alpha = 1;
      let blocking = -1;
      let side = 0;
      for (const i of free) {
        if (p[i] < 0 && Number.isFinite(lo[i])) {
          const a = (lo[i] - d[i]) / p[i];
          if (a < alpha) [alpha, blocking, side] = [a, i, -1];
        } else if (p[i] > 0 && Number.isFinite(hi[i])) {
          const a = (hi[i] - d[i]) / p[i];
          if (a < alpha) [alpha, blocking, side] = [a, i, 1];
        }
      }
      for (let i = 0; i < k; i++) d[i] += alpha * p[i];
      if (blocking >= 0) {
        d[blocking] = side < 0 ? lo[blocking] : hi[blocking];
        w[blocking] = side;
      }
      continue;
    }
    // Stationary on the working set: check multipliers (gradient H d) of the bounds held.
    const g = H.map((row) => row.reduce((acc, v, j) => acc + v * d[j], 0));
    let worst = -1;
    let worstValue = 0;
    for (let i = 0; i < k; i++) {
      // At a lower bound the gradient must point inward (g ≥ 0); at an upper bound g ≤ 0.
      const violation = w[i] === -1 ? -g[i] : w[i] === 1 ? g[i] : 0;
      if (violation > worstValue + 1e-12 * Math.max(1, Math.abs(g[i]))) {
        worstValue = violation;
        worst = i;
      }
    }
    if (worst < 0) return d;
    w[worst] = 0;
  }
  throw new RangeError('box QP: active-set iteration limit reached');
}
