import { backSubstitute, type Dense, multiply, multiplyVector, qrColumnPivoting, spdInverse, transpose, zeros } from '../linalg/dense';
import { ReconciliationError, ReconciliationErrorCode } from '../reconciliation.error';
import { chiSquareQuantile, chiSquareSurvival } from '../stats/chi-square';
import { normalQuantile } from '../stats/normal';

export interface NonlinearVariable {
  readonly id: string;
  readonly measured: boolean;
  readonly value?: number;
  readonly sigma?: number;
  /** Starting point for an unmeasured variable. */
  readonly initial?: number;
  /** Bounds of the reconciled value (a mass fraction in [0, 1]); none when absent. */
  readonly lower?: number;
  readonly upper?: number;
}

export interface NonlinearConstraints {
  readonly ids: readonly string[];
  evaluate(z: readonly number[]): number[];
  /** Dense Jacobian ∂f/∂z (constraints × variables). */
  jacobian(z: readonly number[]): Dense;
}

export interface NonlinearVariableResult {
  readonly id: string;
  readonly measured: boolean;
  readonly reconciled: number | null;
  readonly sigma: number | null;
  readonly adjustment: number | null;
  readonly measurementTest: number | null;
  readonly suspect: boolean;
  readonly classification: 'redundant' | 'nonredundant' | 'observable' | 'unobservable';
}

export interface NonlinearGrossError {
  readonly id: string;
  /** measured − estimate once the measurement is dropped (positive = reads high). */
  readonly magnitude: number | null;
  readonly sigma: number | null;
  /** Measurement test of this variable when it was identified. */
  readonly measurementTest: number;
}

export interface NonlinearResult {
  readonly variables: readonly NonlinearVariableResult[];
  /** Measurements removed by serial elimination, in order (empty unless maxEliminations > 0). */
  readonly grossErrors: readonly NonlinearGrossError[];
  readonly globalTest: { statistic: number; dof: number; critical: number; pValue: number; rejected: boolean };
  /** The global test of all measurements, before serial elimination left any out (= globalTest when none was). */
  readonly initialGlobalTest: { statistic: number; dof: number; critical: number; pValue: number; rejected: boolean };
  readonly iterations: number;
  readonly constraintResidualMax: number;
  readonly measurementTestCritical: number;
  /** Variables held at a bound in the final solution (ids). */
  readonly activeBounds: readonly string[];
}

/**
 * Nonlinear (bilinear) data reconciliation by successive linearisation (Crowe 1986; Narasimhan &
 * Jordache ch. 5): at each iterate, linearise f(z) = 0, project out the unmeasured variables with a
 * column-pivoted QR of J_u (P = Q₂ᵀ, P J_u = 0), solve the linear WLS problem in the measured
 * variables in closed form, then recover the observable unmeasured ones from J_u. The statistics
 * (global test with dof = rank of P J_x, measurement tests with a Šidák threshold, covariances) are
 * those of the linearisation at the solution.
 */
export interface NonlinearOptions {
  readonly alpha?: number;
  readonly maxIterations?: number;
  readonly tolerance?: number;
  /**
   * Serial elimination (Narasimhan & Jordache ch. 8): while the global test rejects, drop the
   * measurement with the largest measurement test (it becomes unmeasured) and reconcile again, at
   * most this many times. Default 0 (off).
   */
  readonly maxEliminations?: number;
}

export function reconcileNonlinear(variables: readonly NonlinearVariable[], constraints: NonlinearConstraints, options: NonlinearOptions = {}): NonlinearResult {
  const maxEliminations = options.maxEliminations ?? 0;
  let current = [...variables];
  let result = reconcileBounded(current, constraints, options);
  const initialGlobalTest = result.globalTest;
  const removed: { index: number; mt: number }[] = [];
  while (result.globalTest.rejected && removed.length < maxEliminations) {
    let worst = -1;
    let worstMt = 0;
    result.variables.forEach((v, i) => {
      if (v.measurementTest !== null && v.measurementTest > worstMt) [worst, worstMt] = [i, v.measurementTest];
    });
    if (worst < 0 || !(worstMt > result.measurementTestCritical)) break;
    removed.push({ index: worst, mt: worstMt });
    const estimate = result.variables[worst].reconciled as number;
    current = current.map((v, i) => (i === worst ? { id: v.id, measured: false, initial: estimate, lower: v.lower, upper: v.upper } : v));
    result = reconcileBounded(current, constraints, options);
  }
  const grossErrors = removed.map(({ index, mt }) => {
    const v = result.variables[index];
    const original = variables[index];
    return {
      id: original.id,
      magnitude: v.reconciled === null ? null : (original.value as number) - v.reconciled,
      sigma: v.sigma === null ? null : Math.sqrt((original.sigma as number) ** 2 + v.sigma ** 2),
      measurementTest: mt,
    };
  });
  return { ...result, grossErrors, initialGlobalTest };
}

/**
 * Bounds by an active set: a solution with variables beyond their bounds is solved again with those
 * variables held at the bound (constants of the linearisation, neither measured nor estimated),
 * until none is beyond; the global test then has one degree of freedom less per measured variable
 * held. Variables are only ever added to the set (a bound, once active, stays so): enough for
 * fractions a balance pushes just below 0 or above 1, not a general bounded nonlinear solver.
 */
function reconcileBounded(variables: readonly NonlinearVariable[], constraints: NonlinearConstraints, options: NonlinearOptions): Omit<NonlinearResult, 'grossErrors' | 'initialGlobalTest'> {
  const held = new Map<number, number>();
  for (;;) {
    const result = reconcileOnce(variables, constraints, options, held);
    const beyond = result.variables.flatMap((r, i): [number, number][] => {
      const v = variables[i];
      if (held.has(i) || r.reconciled === null) return [];
      if (v.lower !== undefined && r.reconciled < v.lower - BOUND_TOLERANCE) return [[i, v.lower]];
      if (v.upper !== undefined && r.reconciled > v.upper + BOUND_TOLERANCE) return [[i, v.upper]];
      return [];
    });
    if (beyond.length === 0) return { ...result, activeBounds: [...held.keys()].map((i) => variables[i].id) };
    for (const [i, bound] of beyond) held.set(i, bound);
  }
}

const BOUND_TOLERANCE = 1e-12;

function reconcileOnce(
  variables: readonly NonlinearVariable[],
  constraints: NonlinearConstraints,
  options: NonlinearOptions,
  held: ReadonlyMap<number, number>,
): Omit<NonlinearResult, 'grossErrors' | 'initialGlobalTest' | 'activeBounds'> {
  const alpha = options.alpha ?? 0.05;
  const maxIterations = options.maxIterations ?? 50;
  const tol = options.tolerance ?? 1e-9;
  const n = variables.length;
  const mIdx = variables.flatMap((v, i) => (v.measured && !held.has(i) ? [i] : []));
  const uIdx = variables.flatMap((v, i) => (v.measured || held.has(i) ? [] : [i]));
  const y = mIdx.map((i) => variables[i].value as number);
  const sig2 = mIdx.map((i) => (variables[i].sigma as number) ** 2);
  const z = variables.map((v, i) => held.get(i) ?? (v.measured ? (v.value as number) : (v.initial ?? 1)));
  const rows = constraints.ids.length;

  let last: { A: Dense; rank: number; M: Dense | null; rVec: number[]; uObservable: boolean[]; G: Dense | null; uBasic: number[] } | null = null;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const f = constraints.evaluate(z);
    const J = constraints.jacobian(z);
    const Ju = J.map((row) => uIdx.map((j) => row[j]));
    const Jx = J.map((row) => mIdx.map((j) => row[j]));
    const { q, r, perm, rank } = uIdx.length > 0 ? qrColumnPivoting(Ju, rows, uIdx.length) : { q: identity(rows), r: zeros(rows, 0), perm: [], rank: 0 };
    const Qt = transpose(q, rows);
    const P = Qt.slice(rank); // (rows − rank) × rows
    // Linearised: Jx x + Ju u = Jx x_k + Ju u_k − f  →  P Jx x = P (Jx x_k − f) =: c
    const A = multiply(P, Jx, rows, mIdx.length);
    const xk = mIdx.map((i) => z[i]);
    const JxXk = multiplyVector(Jx, xk);
    const c = multiplyVector(P, JxXk.map((v, i) => v - f[i]));
    // Keep independent rows of A (the projected system may be rank deficient).
    const At = transpose(A, mIdx.length);
    const qa = qrColumnPivoting(At, mIdx.length, A.length);
    const keep = qa.perm.slice(0, qa.rank);
    const Ak = keep.map((i) => A[i]);
    const ck = keep.map((i) => c[i]);
    const M = Ak.map((ai) => Ak.map((aj) => ai.reduce((s, v, k) => s + v * sig2[k] * aj[k], 0)));
    const Minv = Ak.length > 0 ? spdInverse(M) : [];
    if (Minv === null) throw new ReconciliationError(ReconciliationErrorCode.singularSystem, 'projected constraint matrix is singular: check sigmas');
    const rVec = Ak.map((ai, i) => ai.reduce((s, v, k) => s + v * y[k], 0) - ck[i]);
    const lambda = multiplyVector(Minv, rVec);
    const xNew = y.map((yi, k) => yi - sig2[k] * Ak.reduce((s, ai, i) => s + ai[k] * lambda[i], 0));
    // Unmeasured: Ju δu = −f − Jx (x̂ − x_k), basic solution on the rank-r pivoted columns.
    const rhs = f.map((fi, i) => -fi - Jx[i].reduce((s, v, k) => s + v * (xNew[k] - xk[k]), 0));
    const qtRhs = multiplyVector(Qt, rhs);
    const du = backSubstitute(r, qtRhs, rank);
    // Observability: an unmeasured variable is unobservable iff it has a non-zero entry in a
    // null-space vector of Ju: N = Π [−R11⁻¹ R12; I].
    const uObservable = new Array<boolean>(uIdx.length).fill(true);
    for (let k = rank; k < uIdx.length; k++) {
      uObservable[perm[k]] = false;
      const col = r.map((row) => row[k]);
      const w = backSubstitute(r, col, rank);
      for (let i = 0; i < rank; i++) if (Math.abs(w[i]) > 1e-9) uObservable[perm[i]] = false;
    }
    let step = 0;
    mIdx.forEach((i, k) => {
      step = Math.max(step, Math.abs(xNew[k] - z[i]) / Math.max(1, Math.abs(z[i])));
      z[i] = xNew[k];
    });
    for (let b = 0; b < rank; b++) {
      const j = uIdx[perm[b]];
      step = Math.max(step, Math.abs(du[b]) / Math.max(1, Math.abs(z[j])));
      z[j] += du[b];
    }
    // G maps δx̂ to δu (basic), for the covariance of the unmeasured estimates.
    const QtJx = multiply(Qt, Jx, rows, mIdx.length);
    const G = rank > 0 ? transpose(Array.from({ length: mIdx.length }, (_, k) => backSubstitute(r, QtJx.map((row) => -row[k]), rank)), rank) : null;
    last = { A: Ak, rank: Ak.length, M: Minv, rVec, uObservable, G, uBasic: perm.slice(0, rank) };
    if (step < tol) {
      iterations++;
      break;
    }
  }
  if (!last) throw new ReconciliationError(ReconciliationErrorCode.notConverged, 'nonlinear reconciliation did not run');
  const fFinal = constraints.evaluate(z);
  const residualMax = fFinal.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
  if (iterations >= maxIterations && residualMax > 1e-6) {
    throw new ReconciliationError(ReconciliationErrorCode.notConverged, `successive linearisation did not converge in ${maxIterations} iterations (max constraint residual ${residualMax})`);
  }
  // Statistics of the linearisation at the solution.
  const { A, M, rVec, uObservable, G, uBasic } = last;
  const Minv = M as Dense;
  const gamma = rVec.reduce((s, v, i) => s + v * Minv[i].reduce((t, w, j) => t + w * rVec[j], 0), 0);
  const dof = A.length;
  const critical = dof > 0 ? chiSquareQuantile(1 - alpha, dof) : 0;
  const redundantCount = mIdx.filter((_, k) => A.some((row) => Math.abs(row[k]) > 1e-12)).length;
  const beta = redundantCount > 1 ? -Math.expm1(Math.log1p(-alpha) / redundantCount) : alpha;
  const zCrit = normalQuantile(1 - beta / 2);
  // Cov(x̂) = Σ − Σ Aᵀ M⁻¹ A Σ
  const SAt = mIdx.map((_, k) => A.map((row) => sig2[k] * row[k]));
  const covX = mIdx.map((_, k) => mIdx.map((__, l) => (k === l ? sig2[k] : 0) - SAt[k].reduce((s, v, i) => s + v * Minv[i].reduce((t, w, j) => t + w * SAt[l][j], 0), 0)));
  const results: NonlinearVariableResult[] = new Array(n);
  mIdx.forEach((i, k) => {
    const redundant = A.some((row) => Math.abs(row[k]) > 1e-12);
    const adjustment = z[i] - y[k];
    const varAdj = sig2[k] - covX[k][k];
    const mt = redundant && varAdj > 0 ? Math.abs(adjustment) / Math.sqrt(varAdj) : null;
    results[i] = {
      id: variables[i].id,
      measured: true,
      reconciled: z[i],
      sigma: Math.sqrt(Math.max(0, covX[k][k])),
      adjustment,
      measurementTest: mt,
      suspect: mt !== null && mt > zCrit,
      classification: redundant ? 'redundant' : 'nonredundant',
    };
  });
  uIdx.forEach((i, k) => {
    const observable = uObservable[k];
    let sigma: number | null = null;
    const b = uBasic.indexOf(k);
    if (observable && G && b >= 0) {
      const g = G[b];
      let v = 0;
      for (let p = 0; p < mIdx.length; p++) for (let q = 0; q < mIdx.length; q++) v += g[p] * covX[p][q] * g[q];
      sigma = Math.sqrt(Math.max(0, v));
    }
    results[i] = {
      id: variables[i].id,
      measured: false,
      reconciled: observable ? z[i] : null,
      sigma,
      adjustment: null,
      measurementTest: null,
      suspect: false,
      classification: observable ? 'observable' : 'unobservable',
    };
  });
  for (const [i, bound] of held) {
    const v = variables[i];
    results[i] = {
      id: v.id,
      measured: v.measured,
      reconciled: bound,
      sigma: 0,
      adjustment: v.measured ? bound - (v.value as number) : null,
      measurementTest: null,
      suspect: false,
      classification: v.measured ? 'redundant' : 'observable',
    };
  }
  return {
    variables: results,
    globalTest: { statistic: gamma, dof, critical, pValue: dof > 0 ? chiSquareSurvival(gamma, dof) : 1, rejected: dof > 0 && gamma > critical },
    iterations,
    constraintResidualMax: residualMax,
    measurementTestCritical: zCrit,
  };
}

function identity(n: number): Dense {
  const a = zeros(n, n);
  for (let i = 0; i < n; i++) a[i][i] = 1;
  return a;
}
