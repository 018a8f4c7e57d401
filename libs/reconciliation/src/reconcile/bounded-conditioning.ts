import highsLoader, { type Highs } from 'highs';
import type { CompiledModel } from '../network/compiled-model';
import { ReconciliationError, ReconciliationErrorCode } from '../reconciliation.error';
import { spdInverse } from '../linalg/dense';
import { solveBoxQp } from './box-qp';
import type { LinearSolution } from './linear-solution';

let highsPromise: Promise<Highs> | undefined;
function highs(): Promise<Highs> {
  highsPromise ??= highsLoader();
  return highsPromise;
}

const violation = (m: CompiledModel, e: number, v: number): boolean =>
  v < m.lower[e] - 1e-9 * Math.max(1, Math.abs(m.lower[e])) || v > m.upper[e] + 1e-9 * Math.max(1, Math.abs(m.upper[e]));

/**
 * The bounded reconciliation, exactly, in the space of the bounds that matter.
 *
 * On the balance-feasible subspace the WLS objective equals ½ (x − x̂)ᵀ C⁺ (x − x̂) + const, with x̂
 * the closed-form solution and C its covariance. With bounds imposed only on a set K of estimates
 * z_K = G x̂ (measured values or cut sums for unmeasured flows), the optimum is x̂ conditioned on the
 * displacement d of z_K: x = x̂ + Cov(x̂, z_K) t with d = C_KK t, where t solves the small convex QP
 *
 *   min ½ tᵀ C_KK t   s.t.  l_K − ẑ_K ≤ C_KK t ≤ u_K − ẑ_K          (HiGHS, |K| variables)
 *
 * If that point satisfies every other bound it is the optimum of the full problem; otherwise the newly
 * violated estimates join K and the QP is solved again. Each member of K costs one sparse solve.
 */
export async function enforceBoundsByConditioning(m: CompiledModel, s: LinearSolution, maxRounds = 50): Promise<{ x: Float64Array; objective: number }> {
  const n = m.ids.length;
  const x0 = s.x;
  const K: number[] = [];
  const functionals: Map<number, number>[] = [];
  const columns: Float64Array[] = [];
  let x = Float64Array.from(x0);
  for (let round = 0; round < maxRounds; round++) {
    const added: number[] = [];
    for (let e = 0; e < n; e++) if (!Number.isNaN(x[e]) && m.kinds[e] !== 'leak' && !K.includes(e) && violation(m, e, x[e])) added.push(e);
    if (added.length === 0) return { x, objective: objectiveOf(m, x) };
    for (const e of added) {
      const g = s.functional(e);
      if (!g) continue;
      K.push(e);
      functionals.push(g);
      columns.push(s.covarianceColumn(g));
    }
    const k = K.length;
    const C = K.map((_, a) => K.map((__, b) => {
      let v = 0;
      for (const [j, gj] of functionals[a]) v += gj * columns[b][j];
      return v;
    }));
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) C[a][b] = C[b][a] = 0.5 * (C[a][b] + C[b][a]);
    const t = await solveSmallQp(C, K.map((e) => m.lower[e] - x0[e]), K.map((e) => m.upper[e] - x0[e]));
    x = Float64Array.from(x0);
    for (let j = 0; j < n; j++) {
      if (!m.measured[j]) continue;
      let d = 0;
      for (let b = 0; b < k; b++) d += columns[b][j] * t[b];
      x[j] += d;
    }
    s.reestimate(x);
  }
  throw new ReconciliationError(ReconciliationErrorCode.notConverged, `bounded reconciliation did not settle after ${maxRounds} rounds of added bounds`);
}

/**
 * min ½ tᵀ (C + ρI) t  s.t.  lo ≤ C t ≤ hi. C is a covariance (positive semidefinite, singular when
 * two bounded estimates are tied by the balances); a ridge ρ, relative to the largest variance,
 * keeps HiGHS's active-set method well posed. It starts at 1e-12 and grows only if HiGHS reports a
 * numerically unbounded or failed solve.
 */
async function solveSmallQp(C: number[][], lo: number[], hi: number[]): Promise<number[]> {
  const scale = Math.max(...C.map((row, a) => row[a]));
  const ridge = 1e-12 * scale;
  const out = await runSmallQp(C, lo, hi, ridge);
  if (out.status === 'infeasible') {
    throw new ReconciliationError(ReconciliationErrorCode.infeasibleBounds, 'no flows satisfy every balance within the given bounds: check lower/upper limits and stream directions');
  }
  // HiGHS's active-set QP occasionally stops at a non-optimal point with a misleading status (seen:
  // "unbounded", which a problem bounded below by 0 cannot be). Accept its answer only when it
  // passes our KKT check; otherwise solve the same problem in d = C t, a box-constrained QP with
  // Hessian (C + ρI)⁻¹, by a dense primal active-set method.
  if (out.t.length === C.length && satisfiesKkt(C, lo, hi, out.t)) return out.t;
  const H = spdInverse(C.map((row, a) => row.map((v, b) => v + (a === b ? Math.max(ridge, 1e-10 * scale) : 0))));
  if (!H) throw new ReconciliationError(ReconciliationErrorCode.solverFailed, `bounded reconciliation QP: covariance of the bounded estimates is not positive definite (HiGHS status ${out.code})`);
  const d = solveBoxQp(H, lo, hi);
  return H.map((row) => row.reduce((acc, v, j) => acc + v * d[j], 0));
}

/**
 * KKT conditions of min ½ tᵀCt s.t. lo ≤ Ct ≤ hi with multipliers μ = t (stationarity C t = C μ):
 * rows feasible; t_i ≥ 0 only where the lower bound is active, ≤ 0 only where the upper bound is.
 */
function satisfiesKkt(C: number[][], lo: number[], hi: number[], t: number[]): boolean {
  const scale = Math.max(1e-300, ...C.map((row, a) => row[a]));
  for (let i = 0; i < C.length; i++) {
    const d = C[i].reduce((acc, v, j) => acc + v * t[j], 0);
    const tol = 1e-7 * Math.max(1, Math.abs(d));
    if (d < lo[i] - tol || d > hi[i] + tol) return false;
    const atLower = d <= lo[i] + tol;
    const atUpper = d >= hi[i] - tol;
    const mu = t[i] * scale;
    const muTol = 1e-7 * Math.max(1, Math.abs(d));
    // (μ = t scaled by the largest variance so the tolerance is in units of d)
    if (mu > muTol && !atLower) return false;
    if (mu < -muTol && !atUpper) return false;
  }
  return true;
}

async function runSmallQp(C: number[][], lo: number[], hi: number[], ridge: number): Promise<{ status: 'optimal' | 'infeasible' | 'failed'; code: number; t: number[] }> {
  const h = await highs();
  const k = C.length;
  const starts = [0];
  const idx: number[] = [];
  const val: number[] = [];
  for (let j = 0; j < k; j++) {
    for (let i = j; i < k; i++) {
      const v = C[i][j] + (i === j ? ridge : 0);
      if (v === 0) continue;
      idx.push(i);
      val.push(v);
    }
    starts.push(idx.length);
  }
  const rStarts = [0];
  const rIdx: number[] = [];
  const rVal: number[] = [];
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      if (C[i][j] === 0) continue;
      rIdx.push(j);
      rVal.push(C[i][j]);
    }
    rStarts.push(rIdx.length);
  }
  const clamp = (v: number): number => (v === Infinity ? h.infinity : v === -Infinity ? -h.infinity : v);
  const st = h.constants.modelStatus;
  return h.withModel(
    {
      numCols: k,
      numRows: k,
      colCost: new Float64Array(k),
      colLower: new Float64Array(k).fill(-h.infinity),
      colUpper: new Float64Array(k).fill(h.infinity),
      rowLower: Float64Array.from(lo, clamp),
      rowUpper: Float64Array.from(hi, clamp),
      matrix: { format: 'csr', numRows: k, numCols: k, starts: Int32Array.from(rStarts), indices: Int32Array.from(rIdx), values: Float64Array.from(rVal) },
      hessian: { format: 'triangular', dimension: k, starts: Int32Array.from(starts), indices: Int32Array.from(idx), values: Float64Array.from(val) },
    },
    (model) => {
      model.options.set({ output_flag: false });
      try {
        model.run();
      } catch {
        return { status: 'failed' as const, code: -1, t: [] };
      }
      const code = model.getModelStatus();
      const status = code === st.optimal ? ('optimal' as const) : code === st.infeasible ? ('infeasible' as const) : ('failed' as const);
      return { status, code, t: Array.from(model.getSolution().colValue) };
    },
  );
}

function objectiveOf(m: CompiledModel, x: Float64Array): number {
  let f = 0;
  for (let e = 0; e < m.ids.length; e++) {
    if (!m.measured[e] || m.covariance.has(e)) continue;
    const d = (x[e] - m.y[e]) / m.sigma[e];
    f += 0.5 * d * d;
  }
  return f;
}
