import type { CompiledModel } from '../network/compiled-model';
import { compileNetwork } from '../network/compile-network';
import type { Network, ReconcileOptions } from '../network/network.types';
import { ReconciliationError, ReconciliationErrorCode } from '../reconciliation.error';
import { normalQuantile } from '../stats/normal';
import { enforceBoundsByConditioning } from './bounded-conditioning';
import { solveBoundedQp } from './bounded-qp';
import { globalTest, identifyGrossErrors, sidak } from './gross-error-identification';
import { type LinearSolution, solveLinear } from './linear-solution';
import type { ActiveBound, GrossErrorResult, NodeResult, ReconciliationResult, StreamClassification, StreamResult } from './reconciliation-result.types';

export { sidak } from './gross-error-identification';

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
 *    then errors the others already explain are pruned and each is exchanged for a better one
 *    given the others (so one leak is not reported as a leak plus a neighbouring meter's bias);
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

  // Serial compensation with backward pruning and exchange (gross-error-identification.ts).
  const identification = identifyGrossErrors(base, initial, initialGlobal, { alpha, maxEliminations, leaks, gains: options.gains === true, unmeasuredSigmas, detection });
  const { model, solution: current, global: currentGlobal, removedBiases, leakNodes } = identification;
  const accepted = identification.errors;

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
