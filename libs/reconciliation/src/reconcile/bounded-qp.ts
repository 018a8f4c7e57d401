import highsLoader, { type Highs } from 'highs';
import type { CompiledModel } from '../network/compiled-model';
import { UnionFind } from '../network/union-find';
import { ReconciliationError, ReconciliationErrorCode } from '../reconciliation.error';

let highsPromise: Promise<Highs> | undefined;
function highs(): Promise<Highs> {
  highsPromise ??= highsLoader();
  return highsPromise;
}

/**
 * Bounded reconciliation as a convex QP solved by HiGHS:
 *
 *   min ½ (x_m − y)ᵀ Σ⁻¹ (x_m − y)   s.t.  A x = 0 (every node balance),  l ≤ x ≤ u
 *
 * over all flows (measured and unmeasured). Σ⁻¹ is block diagonal: correlated measurements form
 * small dense blocks inverted exactly, the rest is 1/σ².
 */
export async function solveBoundedQp(m: CompiledModel): Promise<{ x: Float64Array; objective: number }> {
  const h = await highs();
  const n = m.ids.length;
  const N = m.nodeCount;
  // Hessian (lower triangle, CSC) and linear cost −Σ⁻¹ y.
  const blocks = new UnionFind(n);
  for (const [a, row] of m.covariance) for (const [b] of row) if (m.measured[a] && m.measured[b]) blocks.union(a, b);
  const members = new Map<number, number[]>();
  for (let e = 0; e < n; e++) {
    if (!m.measured[e]) continue;
    const r = blocks.find(e);
    let list = members.get(r);
    if (!list) members.set(r, (list = []));
    list.push(e);
  }
  const hessCols: { rows: number[]; vals: number[] }[] = Array.from({ length: n }, () => ({ rows: [], vals: [] }));
  const cost = new Float64Array(n);
  let offset = 0;
  for (const vars of members.values()) {
    vars.sort((a, b) => a - b);
    const k = vars.length;
    const inv = invertSymmetric(vars.map((a) => vars.map((b) => (a === b ? m.sigma[a] * m.sigma[a] : (m.covariance.get(a)?.get(b) ?? 0)))));
    for (let j = 0; j < k; j++) {
      for (let i = j; i < k; i++) {
        hessCols[vars[j]].rows.push(vars[i]);
        hessCols[vars[j]].vals.push(inv[i][j]);
      }
      let c = 0;
      for (let i = 0; i < k; i++) c -= inv[j][i] * m.y[vars[i]];
      cost[vars[j]] = c;
      for (let i = 0; i < k; i++) offset += 0.5 * m.y[vars[j]] * inv[j][i] * m.y[vars[i]];
    }
  }
  const hStarts = new Int32Array(n + 1);
  const hIdx: number[] = [];
  const hVal: number[] = [];
  for (let j = 0; j < n; j++) {
    hIdx.push(...hessCols[j].rows);
    hVal.push(...hessCols[j].vals);
    hStarts[j + 1] = hIdx.length;
  }
  // Constraint matrix (CSC): column e has +1 in row `to`, −1 in row `from` (boundary has no row).
  const aStarts = new Int32Array(n + 1);
  const aIdx: number[] = [];
  const aVal: number[] = [];
  for (let e = 0; e < n; e++) {
    const entries: [number, number][] = [];
    if (m.to[e] < N) entries.push([m.to[e], 1]);
    if (m.from[e] < N) entries.push([m.from[e], -1]);
    entries.sort((p, q) => p[0] - q[0]);
    for (const [r, v] of entries) {
      aIdx.push(r);
      aVal.push(v);
    }
    aStarts[e + 1] = aIdx.length;
  }
  const inf = h.infinity;
  const clamp = (v: number): number => (v === Infinity ? inf : v === -Infinity ? -inf : v);
  const result = h.withModel(
    {
      numCols: n,
      numRows: N,
      offset,
      colCost: cost,
      colLower: Float64Array.from(m.lower, clamp),
      colUpper: Float64Array.from(m.upper, clamp),
      rowLower: new Float64Array(N),
      rowUpper: new Float64Array(N),
      matrix: { format: 'csc', numRows: N, numCols: n, starts: aStarts, indices: Int32Array.from(aIdx), values: Float64Array.from(aVal) },
      hessian: { format: 'triangular', dimension: n, starts: hStarts, indices: Int32Array.from(hIdx), values: Float64Array.from(hVal) },
    },
    (model) => {
      // The active-set QP works in the null space of the active constraints: allow all of it.
      model.options.set({ output_flag: false, qp_nullspace_limit: Math.max(4000, n), qp_iteration_limit: Math.max(10_000, 20 * n) });
      try {
        model.run();
      } catch (error) {
        throw new ReconciliationError(ReconciliationErrorCode.solverFailed, `HiGHS failed on the bounded reconciliation QP: ${(error as Error).message}`);
      }
      const status = model.getModelStatus();
      return { status, x: Float64Array.from(model.getSolution().colValue), objective: model.getObjectiveValue() };
    },
  );
  const st = h.constants.modelStatus;
  if (result.status === st.infeasible || result.status === st.unboundedOrInfeasible) {
    throw new ReconciliationError(ReconciliationErrorCode.infeasibleBounds, 'no flows satisfy every balance within the given bounds: check lower/upper limits and stream directions');
  }
  if (result.status !== st.optimal) {
    throw new ReconciliationError(ReconciliationErrorCode.solverFailed, `HiGHS did not reach an optimal QP solution (model status ${result.status})`);
  }
  return { x: result.x, objective: result.objective };
}

/** Inverse of a small symmetric positive-definite matrix (Gauss–Jordan with partial pivoting). */
export function invertSymmetric(a: number[][]): number[][] {
  const k = a.length;
  const w = a.map((row, i) => [...row, ...Array.from({ length: k }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(w[r][c]) > Math.abs(w[p][c])) p = r;
    if (w[p][c] === 0) throw new ReconciliationError(ReconciliationErrorCode.singularSystem, 'a measurement covariance block is singular');
    [w[c], w[p]] = [w[p], w[c]];
    const d = w[c][c];
    for (let j = 0; j < 2 * k; j++) w[c][j] /= d;
    for (let r = 0; r < k; r++) {
      if (r === c || w[r][c] === 0) continue;
      const f = w[r][c];
      for (let j = 0; j < 2 * k; j++) w[r][j] -= f * w[c][j];
    }
  }
  return w.map((row) => row.slice(k));
}
