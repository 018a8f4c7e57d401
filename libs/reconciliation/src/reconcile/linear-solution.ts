import type { CompiledModel } from '../network/compiled-model';
import { type Classification, classify } from '../network/classification';
import { UnionFind } from '../network/union-find';
import { ldlFactor, ldlSolveInPlace, type LdlFactor, SingularMatrixError, SparseQuadraticForm } from '../sparse/ldl';
import { minimumDegreeOrdering } from '../sparse/minimum-degree';
import { SelectedInverse } from '../sparse/selected-inverse';
import { SymmetricTripletBuilder } from '../sparse/symmetric-matrix';
import { ReconciliationError, ReconciliationErrorCode } from '../reconciliation.error';
import { estimateUnmeasured } from './unmeasured-estimation';

/**
 * Weighted least-squares reconciliation of the projected (redundant) system in closed form:
 *
 *   r = B y,  M = B Σ Bᵀ,  λ = M⁻¹ r,  x̂ = y − Σ Bᵀ λ,  γ = rᵀ M⁻¹ r  (global test, dof = rank B)
 *
 * B is the balance of every merged group (groups joined by unmeasured edges) except the boundary
 * group, with one reference row dropped from each connected part that does not touch the boundary,
 * so B has full row rank. M is factorised as P M Pᵀ = L D Lᵀ under a minimum-degree ordering, and the
 * entries of M⁻¹ needed for variances come from the selected inverse on the factor pattern.
 */
export interface LinearSolution {
  readonly classification: Classification;
  /** Row of the projected system for each merged group (−1: no row). Indexed by vertex group root. */
  readonly rowOfGroup: Int32Array;
  readonly rowCount: number;
  readonly dof: number;
  readonly globalStatistic: number;
  /** Reconciled (or estimated) value per variable; NaN when unobservable. */
  readonly x: Float64Array;
  /** Standard deviation of x; NaN when unobservable or not computed. */
  readonly sd: Float64Array;
  /** Standardised adjustment (measurement test) for redundant measurements; NaN otherwise. */
  readonly measurementTest: Float64Array;
  /** GLR statistic and bias estimate for a bias in each redundant measurement; NaN otherwise. */
  readonly biasGlr: Float64Array;
  readonly biasEstimate: Float64Array;
  readonly biasSigma: Float64Array;
  /** GLR statistic, estimate and sigma of a leak (loss) in each projected row. */
  readonly leakGlr: Float64Array;
  readonly leakEstimate: Float64Array;
  readonly leakSigma: Float64Array;
  /** Raw group imbalance (in − out of measured flows) and its standard deviation, per vertex group root. */
  readonly groupResidual: Float64Array;
  readonly groupResidualSd: Float64Array;
  /** The estimate of variable e as a linear functional of the measured values (null: unobservable). */
  functional(e: number): Map<number, number> | null;
  /** Cov(x̂_m, gᵀ x̂_m) for every measured variable (0 elsewhere). */
  covarianceColumn(g: Map<number, number>): Float64Array;
  /** Recomputes the unmeasured estimates in `x` from its measured entries. */
  reestimate(x: Float64Array): void;
}

export function solveLinear(m: CompiledModel, options: { unmeasuredSigmas: boolean }): LinearSolution {
  const n = m.ids.length;
  const V = m.nodeCount + 1;
  const cls = classify(m);
  const { group, boundaryGroup, redundant } = cls;
  const hasCovariance = m.covariance.size > 0;

  // Rows: groups touched by a redundant edge, minus the boundary group, minus one reference per
  // connected part of the projected graph that does not contain the boundary.
  const touched = new Uint8Array(V);
  const part = new UnionFind(V);
  for (let e = 0; e < n; e++) {
    if (!redundant[e]) continue;
    const a = group[m.from[e]];
    const b = group[m.to[e]];
    touched[a] = touched[b] = 1;
    part.union(a, b);
  }
  const boundaryPart = part.find(boundaryGroup);
  const referenceTaken = new Uint8Array(V);
  const rowOfGroup = new Int32Array(V).fill(-1);
  let rows = 0;
  for (let g = 0; g < V; g++) {
    if (group[g] !== g || !touched[g] || g === boundaryGroup) continue;
    const p = part.find(g);
    if (p !== boundaryPart && !referenceTaken[p]) {
      referenceTaken[p] = 1;
      continue;
    }
    rowOfGroup[g] = rows++;
  }
  const rowFrom = new Int32Array(n).fill(-1);
  const rowTo = new Int32Array(n).fill(-1);
  for (let e = 0; e < n; e++) {
    if (!redundant[e]) continue;
    rowFrom[e] = rowOfGroup[group[m.from[e]]];
    rowTo[e] = rowOfGroup[group[m.to[e]]];
  }

  // Group residuals over all groups (nodal test), from raw measurements.
  const groupResidual = new Float64Array(V);
  const groupVar = new Float64Array(V);
  for (let e = 0; e < n; e++) {
    if (!redundant[e]) continue;
    const a = group[m.from[e]];
    const b = group[m.to[e]];
    groupResidual[b] += m.y[e];
    groupResidual[a] -= m.y[e];
    const s2 = m.sigma[e] * m.sigma[e];
    groupVar[a] += s2;
    groupVar[b] += s2;
  }
  if (hasCovariance) {
    for (const [a, row] of m.covariance) {
      if (!redundant[a]) continue;
      for (const [b, c] of row) {
        if (!redundant[b]) continue;
        // Var(r_g) gains 2·c·sign_a·sign_b for each group g both edges touch (each pair seen twice).
        for (const g of [group[m.from[a]], group[m.to[a]]]) {
          const sa = g === group[m.to[a]] ? 1 : -1;
          if (g === group[m.from[b]]) groupVar[g] += c * sa * -1;
          if (g === group[m.to[b]]) groupVar[g] += c * sa;
        }
      }
    }
  }
  const groupResidualSd = groupVar.map((v) => Math.sqrt(v));

  // Assemble M = B Σ Bᵀ.
  const builder = new SymmetricTripletBuilder(rows);
  for (let e = 0; e < n; e++) {
    if (!redundant[e]) continue;
    const s2 = m.sigma[e] * m.sigma[e];
    const a = rowFrom[e];
    const b = rowTo[e];
    if (a >= 0) builder.add(a, a, s2);
    if (b >= 0) builder.add(b, b, s2);
    if (a >= 0 && b >= 0) builder.add(a, b, -s2);
  }
  if (hasCovariance) {
    for (const [ea, row] of m.covariance) {
      if (!redundant[ea]) continue;
      for (const [eb, c] of row) {
        if (!redundant[eb] || eb < ea) continue;
        // c·(b_a b_bᵀ + b_b b_aᵀ)
        const ta: [number, number][] = [[rowTo[ea], 1], [rowFrom[ea], -1]];
        const tb: [number, number][] = [[rowTo[eb], 1], [rowFrom[eb], -1]];
        for (const [ia, sa] of ta) {
          if (ia < 0) continue;
          for (const [ib, sb] of tb) {
            if (ib < 0) continue;
            if (ia === ib) builder.add(ia, ia, 2 * c * sa * sb);
            else builder.add(ia, ib, c * sa * sb);
          }
        }
      }
    }
  }
  const { perm } = minimumDegreeOrdering(builder.adjacency());
  let factor: LdlFactor;
  try {
    factor = ldlFactor(builder.build(perm), 1e-300);
  } catch (error) {
    if (error instanceof SingularMatrixError) {
      throw new ReconciliationError(ReconciliationErrorCode.singularSystem, 'the projected balance matrix B Σ Bᵀ is singular: check for zero or non-finite sigmas and for inconsistent covariances');
    }
    throw error;
  }
  const solve = (rhs: Float64Array): Float64Array => {
    const x = new Float64Array(rows);
    for (let i = 0; i < rows; i++) x[perm[i]] = rhs[i];
    ldlSolveInPlace(factor, x);
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) out[i] = x[perm[i]];
    return out;
  };
  const quadratic = new SparseQuadraticForm(factor);
  /** wᵀ M⁻¹ w for w given on rows of the projected system (original numbering). */
  const quadForm = (w: Map<number, number>): number => {
    const idx: number[] = [];
    const val: number[] = [];
    for (const [i, v] of w) {
      if (v === 0) continue;
      idx.push(perm[i]);
      val.push(v);
    }
    return idx.length === 0 ? 0 : quadratic.evaluate(idx, val);
  };
  const inverse = new SelectedInverse(factor);
  const zAt = (i: number, j: number): number => inverse.get(perm[i], perm[j]);

  const r = new Float64Array(rows);
  for (let e = 0; e < n; e++) {
    if (!redundant[e]) continue;
    if (rowTo[e] >= 0) r[rowTo[e]] += m.y[e];
    if (rowFrom[e] >= 0) r[rowFrom[e]] -= m.y[e];
  }
  const lambda = solve(r);
  let gamma = 0;
  for (let i = 0; i < rows; i++) gamma += r[i] * lambda[i];

  const bDot = (e: number, v: Float64Array): number => (rowTo[e] >= 0 ? v[rowTo[e]] : 0) - (rowFrom[e] >= 0 ? v[rowFrom[e]] : 0);
  const bZb = (e: number): number => {
    const a = rowFrom[e];
    const b = rowTo[e];
    let q = 0;
    if (a >= 0) q += zAt(a, a);
    if (b >= 0) q += zAt(b, b);
    if (a >= 0 && b >= 0) q -= 2 * zAt(a, b);
    return q;
  };

  const x = new Float64Array(n).fill(NaN);
  const sd = new Float64Array(n).fill(NaN);
  const measurementTest = new Float64Array(n).fill(NaN);
  const biasGlr = new Float64Array(n).fill(NaN);
  const biasEstimate = new Float64Array(n).fill(NaN);
  const biasSigma = new Float64Array(n).fill(NaN);
  for (let e = 0; e < n; e++) {
    if (!m.measured[e]) continue;
    const s2 = m.sigma[e] * m.sigma[e];
    const cov = hasCovariance ? m.covariance.get(e) : undefined;
    if (!cov || cov.size === 0) {
      if (!redundant[e]) {
        x[e] = m.y[e];
        sd[e] = m.sigma[e];
        continue;
      }
      const q = bZb(e);
      const bl = bDot(e, lambda);
      const adj = s2 * bl;
      const varAdj = s2 * s2 * q;
      x[e] = m.y[e] - adj;
      sd[e] = Math.sqrt(Math.max(0, s2 - varAdj));
      measurementTest[e] = varAdj > 0 ? Math.abs(adj) / Math.sqrt(varAdj) : 0;
      if (q > 0) {
        biasGlr[e] = (bl * bl) / q;
        biasEstimate[e] = bl / q;
        biasSigma[e] = 1 / Math.sqrt(q);
      }
      continue;
    }
    // Correlated measurement: w = B Σ e_i, adjustment = wᵀλ, Var = wᵀ M⁻¹ w.
    const w = new Map<number, number>();
    const addColumn = (j: number, c: number): void => {
      if (!redundant[j]) return;
      if (rowTo[j] >= 0) w.set(rowTo[j], (w.get(rowTo[j]) ?? 0) + c);
      if (rowFrom[j] >= 0) w.set(rowFrom[j], (w.get(rowFrom[j]) ?? 0) - c);
    };
    addColumn(e, s2);
    for (const [j, c] of cov) if (m.measured[j]) addColumn(j, c);
    let adj = 0;
    for (const [i, v] of w) adj += v * lambda[i];
    const varAdj = quadForm(w);
    x[e] = m.y[e] - adj;
    sd[e] = Math.sqrt(Math.max(0, s2 - varAdj));
    if (redundant[e]) {
      measurementTest[e] = varAdj > 0 ? Math.abs(adj) / Math.sqrt(varAdj) : 0;
      const q = bZb(e);
      const bl = bDot(e, lambda);
      if (q > 0) {
        biasGlr[e] = (bl * bl) / q;
        biasEstimate[e] = bl / q;
        biasSigma[e] = 1 / Math.sqrt(q);
      }
    }
  }

  const leakGlr = new Float64Array(rows);
  const leakEstimate = new Float64Array(rows);
  const leakSigma = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const z = zAt(i, i);
    leakGlr[i] = (lambda[i] * lambda[i]) / z;
    leakEstimate[i] = lambda[i] / z;
    leakSigma[i] = 1 / Math.sqrt(z);
  }

  const cuts = new Map<number, Map<number, number>>();
  estimateUnmeasured(m, cls, x, sd, options.unmeasuredSigmas ? { rowFrom, rowTo, quadForm } : null, cuts);

  const sigmaTimes = (g: Map<number, number>): Float64Array => {
    const c = new Float64Array(n);
    for (const [j, gj] of g) {
      c[j] += m.sigma[j] * m.sigma[j] * gj;
      const cov = hasCovariance ? m.covariance.get(j) : undefined;
      if (cov) for (const [i, v] of cov) if (m.measured[i]) c[i] += v * gj;
    }
    return c;
  };
  const covarianceColumn = (g: Map<number, number>): Float64Array => {
    const c = sigmaTimes(g);
    const w = new Float64Array(rows);
    for (let j = 0; j < n; j++) {
      if (!redundant[j] || c[j] === 0) continue;
      if (rowTo[j] >= 0) w[rowTo[j]] += c[j];
      if (rowFrom[j] >= 0) w[rowFrom[j]] -= c[j];
    }
    const s = solve(w);
    const bts = new Map<number, number>();
    for (let j = 0; j < n; j++) if (redundant[j]) bts.set(j, bDot(j, s));
    const correction = sigmaTimes(bts);
    for (let j = 0; j < n; j++) c[j] = m.measured[j] ? c[j] - correction[j] : 0;
    return c;
  };

  return {
    classification: cls,
    rowOfGroup,
    rowCount: rows,
    dof: rows,
    globalStatistic: gamma,
    x,
    sd,
    measurementTest,
    biasGlr,
    biasEstimate,
    biasSigma,
    leakGlr,
    leakEstimate,
    leakSigma,
    groupResidual,
    groupResidualSd,
    functional: (e) => (m.measured[e] ? new Map([[e, 1]]) : (cuts.get(e) ?? null)),
    covarianceColumn,
    reestimate: (values) => estimateUnmeasured(m, cls, values, new Float64Array(n), null),
  };
}
