import { type CompiledModel, withChanges } from '../network/compiled-model';
import { compileNetwork } from '../network/compile-network';
import type { Network, ReconcileOptions } from '../network/network.types';
import { ReconciliationError, ReconciliationErrorCode } from '../reconciliation.error';
import { chiSquareQuantile, chiSquareSurvival } from '../stats/chi-square';
import { normalQuantile } from '../stats/normal';
import { enforceBoundsByConditioning } from './bounded-conditioning';
import { solveBoundedQp } from './bounded-qp';
import { type LinearSolution, solveLinear } from './linear-solution';
import type { ActiveBound, GrossErrorResult, NodeResult, ReconciliationResult, StreamClassification, StreamResult, TestResult } from './reconciliation-result.types';

interface Hypothesis {
  readonly kind: 'bias' | 'leak';
  /** Variable index (bias) or node index (leak). */
  readonly target: number;
  readonly label: string;
  readonly glr: number;
  /** GLR estimate of the magnitude and its sigma, given the errors accepted before it. */
  readonly estimate: number;
  readonly sigma: number;
}

/**
 * Reconciles a material-balance network and detects gross errors:
 *
 * 1. classify (graph projection), reconcile the redundant part in closed form, estimate observable
 *    unmeasured flows with their standard deviations;
 * 2. global test (χ², dof = rank of the projected constraints), nodal tests and measurement tests
 *    with a Šidák-corrected threshold;
 * 3. serial compensation while the global test rejects: the bias (per redundant meter) or leak
 *    (per balance group) hypothesis with the largest GLR statistic is accepted; a biased meter is
 *    dropped (becomes unmeasured), a leak becomes an unmeasured flow to the boundary; re-reconcile;
 * 4. if a reconciled or estimated flow violates a bound, re-solve as a bounded convex QP (HiGHS).
 */
export async function reconcile(network: Network, options: ReconcileOptions = {}): Promise<ReconciliationResult> {
  const alpha = options.alpha ?? 0.05;
  const maxEliminations = options.maxEliminations ?? 10;
  const useBounds = options.bounds ?? true;
  const leaks = options.leaks ?? true;
  const unmeasuredSigmas = options.unmeasuredSigmas ?? true;
  const detection = options.detection ?? 'global-or-glr';
  const violations = [];
  if (!(alpha > 0 && alpha < 1)) violations.push({ field: 'alpha', description: 'must lie strictly between 0 and 1' });
  if (!(Number.isInteger(maxEliminations) && maxEliminations >= 0)) violations.push({ field: 'maxEliminations', description: 'must be an integer ≥ 0' });
  if (violations.length > 0) throw new ReconciliationError(ReconciliationErrorCode.invalidOptions, 'invalid reconciliation options', violations);

  const base = compileNetwork(network);
  const initial = solveLinear(base, { unmeasuredSigmas });
  const initialGlobal = globalTest(initial, alpha);

  // Serial compensation.
  let model = base;
  let current = initial;
  let currentGlobal = initialGlobal;
  const removedBiases: number[] = [];
  const leakNodes: number[] = [];
  const accepted: { h: Hypothesis; critical: number; equivalent: string[] }[] = [];
  while (accepted.length < maxEliminations && current.dof > 0) {
    const hypotheses = candidateHypotheses(model, current, leaks, leakNodes);
    if (hypotheses.length === 0) break;
    hypotheses.sort((a, b) => b.glr - a.glr || (a.kind === b.kind ? a.target - b.target : a.kind === 'bias' ? -1 : 1));
    const best = hypotheses[0];
    const critical = chiSquareQuantile(1 - sidak(alpha, hypotheses.length), 1);
    // Detection: the global test, or the maximum GLR statistic against its Šidák-corrected
    // χ²(1) threshold (the more powerful test for a single gross error in a large network).
    if (!currentGlobal.rejected && !(detection !== 'global' && best.glr > critical)) break;
    const tie = (h: Hypothesis): boolean => Math.abs(h.glr - best.glr) <= 1e-9 * Math.max(1, best.glr);
    const equivalent = hypotheses.slice(1).filter(tie).map((h) => (h.kind === 'bias' ? `bias:${h.label}` : `leak:${h.label}`));
    accepted.push({ h: best, critical, equivalent });
    if (best.kind === 'bias') removedBiases.push(best.target);
    else leakNodes.push(best.target);
    model = withChanges(base, removedBiases, leakNodes);
    current = solveLinear(model, { unmeasuredSigmas });
    currentGlobal = globalTest(current, alpha);
  }

  // Bounds.
  let x = current.x;
  let solver: 'closed-form' | 'qp' = 'closed-form';
  const activeBounds: ActiveBound[] = [];
  let objective = weightedObjective(model, x);
  if (useBounds && (options.forceQp || violatesBounds(model, current))) {
    // Default: exact bounded solution conditioned on the violated estimates (small HiGHS QP).
    // forceQp: the full QP over every flow (HiGHS active set), a cross-check for small networks.
    const bounded = options.forceQp ? await solveBoundedQp(model) : await enforceBoundsByConditioning(model, current);
    x = Float64Array.from(current.x, (v, i) => (Number.isNaN(v) ? NaN : bounded.x[i]));
    solver = 'qp';
    objective = bounded.objective;
    for (let e = 0; e < model.ids.length; e++) {
      if (Number.isNaN(x[e]) || model.kinds[e] === 'leak') continue;
      const tol = (b: number): number => 1e-6 * Math.max(1, Math.abs(b));
      if (Number.isFinite(model.lower[e]) && x[e] - model.lower[e] <= tol(model.lower[e])) activeBounds.push({ id: model.ids[e], bound: 'lower', value: model.lower[e] });
      else if (Number.isFinite(model.upper[e]) && model.upper[e] - x[e] <= tol(model.upper[e])) activeBounds.push({ id: model.ids[e], bound: 'upper', value: model.upper[e] });
    }
  }

  // Stream results.
  const redundantCount = countOf(initial.classification.redundant);
  const mtCritical = redundantCount > 0 ? normalQuantile(1 - sidak(alpha, redundantCount) / 2) : NaN;
  const removed = new Set(removedBiases);
  const streams: StreamResult[] = [];
  const counts = { streams: 0, measured: 0, redundant: 0, nonredundant: 0, observable: 0, unobservable: 0 };
  for (let e = 0; e < base.ids.length; e++) {
    const measured = base.measured[e] === 1;
    const rec = Number.isNaN(x[e]) ? null : x[e];
    const mt = Number.isNaN(initial.measurementTest[e]) ? null : initial.measurementTest[e];
    let classification: StreamClassification;
    if (measured) classification = initial.classification.redundant[e] ? 'redundant' : 'nonredundant';
    else classification = initial.classification.observable[e] ? 'observable' : 'unobservable';
    counts.streams++;
    if (measured) counts.measured++;
    counts[classification]++;
    streams.push({
      id: base.ids[e],
      kind: base.kinds[e] === 'accumulation' ? 'accumulation' : 'stream',
      measured,
      measuredValue: measured ? base.y[e] : null,
      reconciled: rec,
      sigma: Number.isNaN(current.sd[e]) || rec === null ? null : current.sd[e],
      adjustment: measured && rec !== null ? rec - base.y[e] : null,
      measurementTest: mt,
      suspect: mt !== null && mt > mtCritical,
      classification,
      grossError: removed.has(e),
    });
  }

  // Gross errors with magnitudes from the compensated solution.
  const grossErrors: GrossErrorResult[] = accepted.map(({ h, critical, equivalent }) => {
    if (h.kind === 'bias') {
      const e = h.target;
      const est = current.x[e];
      const magnitude = Number.isNaN(est) ? h.estimate : base.y[e] - est;
      const sigma = Number.isNaN(current.sd[e]) ? h.sigma : Math.sqrt(base.sigma[e] ** 2 + current.sd[e] ** 2);
      return { kind: 'bias', id: base.ids[e], magnitude, sigma, relative: !Number.isNaN(est) && est !== 0 ? magnitude / est : null, glr: h.glr, glrCritical: critical, equivalent };
    }
    const leakVar = base.ids.length + leakNodes.indexOf(h.target);
    const magnitude = Number.isNaN(current.x[leakVar]) ? h.estimate : current.x[leakVar];
    const sigma = Number.isNaN(current.sd[leakVar]) ? h.sigma : current.sd[leakVar];
    return { kind: 'leak', id: base.nodeIds[h.target], magnitude, sigma, relative: null, glr: h.glr, glrCritical: critical, equivalent };
  });

  const nodes = nodeResults(base, initial, x, alpha);
  return {
    streams,
    nodes: nodes.results,
    globalTest: initialGlobal,
    globalTestAfter: currentGlobal,
    measurementTestCritical: mtCritical,
    nodalTestCritical: nodes.critical,
    grossErrors,
    activeBounds,
    solver,
    objective,
    counts,
  };
}

export function sidak(alpha: number, m: number): number {
  return m <= 1 ? alpha : -Math.expm1(Math.log1p(-alpha) / m);
}

function globalTest(s: LinearSolution, alpha: number): TestResult {
  if (s.dof === 0) return { statistic: 0, dof: 0, critical: 0, pValue: 1, rejected: false };
  const critical = chiSquareQuantile(1 - alpha, s.dof);
  return { statistic: s.globalStatistic, dof: s.dof, critical, pValue: chiSquareSurvival(s.globalStatistic, s.dof), rejected: s.globalStatistic > critical };
}

function candidateHypotheses(m: CompiledModel, s: LinearSolution, leaks: boolean, existingLeaks: readonly number[]): Hypothesis[] {
  const out: Hypothesis[] = [];
  for (let e = 0; e < m.ids.length; e++) {
    if (m.kinds[e] === 'leak' || Number.isNaN(s.biasGlr[e])) continue;
    out.push({ kind: 'bias', target: e, label: m.ids[e], glr: s.biasGlr[e], estimate: s.biasEstimate[e], sigma: s.biasSigma[e] });
  }
  if (!leaks) return out;
  const { group } = s.classification;
  for (let v = 0; v < m.nodeCount; v++) {
    if (!m.leakCandidate[v] || existingLeaks.includes(v)) continue;
    const row = s.rowOfGroup[group[v]];
    // A leak loses material: a hypothesis whose estimate is a gain is not physical.
    if (row < 0 || !(s.leakEstimate[row] > 0)) continue;
    // Every node of a balance group has the same leak signature: offer each, ties are reported.
    out.push({ kind: 'leak', target: v, label: m.nodeIds[v], glr: s.leakGlr[row], estimate: s.leakEstimate[row], sigma: s.leakSigma[row] });
  }
  return out;
}

function violatesBounds(m: CompiledModel, s: LinearSolution): boolean {
  for (let e = 0; e < m.ids.length; e++) {
    const v = s.x[e];
    if (Number.isNaN(v)) continue;
    if (v < m.lower[e] - 1e-9 * Math.max(1, Math.abs(m.lower[e])) || v > m.upper[e] + 1e-9 * Math.max(1, Math.abs(m.upper[e]))) return true;
  }
  return false;
}

function weightedObjective(m: CompiledModel, x: Float64Array): number {
  let f = 0;
  for (let e = 0; e < m.ids.length; e++) {
    if (!m.measured[e] || m.covariance.has(e)) continue;
    const d = (x[e] - m.y[e]) / m.sigma[e];
    f += 0.5 * d * d;
  }
  return f;
}

function countOf(a: Uint8Array): number {
  let c = 0;
  for (const v of a) c += v;
  return c;
}

function nodeResults(m: CompiledModel, s: LinearSolution, x: Float64Array, alpha: number): { results: NodeResult[]; critical: number } {
  const N = m.nodeCount;
  const before = new Float64Array(N);
  const after = new Float64Array(N);
  const unmeasuredAt = new Uint8Array(N);
  const unobservableAt = new Uint8Array(N);
  for (let e = 0; e < m.ids.length; e++) {
    for (const [v, sign] of [
      [m.to[e], 1],
      [m.from[e], -1],
    ] as const) {
      if (v >= N) continue;
      if (m.measured[e]) before[v] += sign * m.y[e];
      else unmeasuredAt[v] = 1;
      if (Number.isNaN(x[e])) unobservableAt[v] = 1;
      else after[v] += sign * x[e];
    }
  }
  const { group, boundaryGroup } = s.classification;
  const members = new Map<number, string[]>();
  for (let v = 0; v < N; v++) {
    const list = members.get(group[v]) ?? [];
    list.push(m.nodeIds[v]);
    members.set(group[v], list);
  }
  let tested = 0;
  for (const g of members.keys()) if (g !== boundaryGroup && s.groupResidualSd[g] > 0) tested++;
  const critical = tested > 0 ? normalQuantile(1 - sidak(alpha, tested) / 2) : NaN;
  const results: NodeResult[] = [];
  for (let v = 0; v < N; v++) {
    const g = group[v];
    const nodal = g !== boundaryGroup && s.groupResidualSd[g] > 0 ? Math.abs(s.groupResidual[g]) / s.groupResidualSd[g] : null;
    results.push({
      id: m.nodeIds[v],
      imbalanceBefore: unmeasuredAt[v] ? null : before[v],
      imbalanceAfter: unobservableAt[v] ? null : after[v],
      nodalTest: nodal,
      suspect: nodal !== null && nodal > critical,
      balanceGroup: (members.get(g) ?? []).filter((id) => id !== m.nodeIds[v]),
    });
  }
  return { results, critical };
}
