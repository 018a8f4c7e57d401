import jsLpSolver, { type Model as JsLpModel } from 'javascript-lp-solver';
import { isMip, objectiveOf, rowActivities, type LinearModel } from '../model/linear-model';
import type { SolveResult } from '../solve.types';
import type { SerializableSolveOptions } from './highs.backend';

const objectiveKey = '_objective';

/** javascript-lp-solver's JSON model; keys are `c<j>` / `r<i>` so model names never collide with its own. */
export function toJsLpModel(model: LinearModel, options: SerializableSolveOptions): JsLpModel {
  const constraints: JsLpModel['constraints'] = {};
  const variables: JsLpModel['variables'] = {};
  const ints: Record<string, 1> = {};
  const unrestricted: Record<string, 1> = {};
  const n = model.columns.lower.length;
  for (let j = 0; j < n; j++) {
    const key = `c${j}`;
    const coefficients: Record<string, number> = { [objectiveKey]: model.columns.cost[j] };
    const lo = model.columns.lower[j];
    const hi = model.columns.upper[j];
    if (lo < 0) unrestricted[key] = 1;
    if (lo !== 0 && lo > -Infinity) {
      constraints[`l${j}`] = { min: lo };
      coefficients[`l${j}`] = 1;
    }
    if (hi < Infinity) {
      constraints[`u${j}`] = { max: hi };
      coefficients[`u${j}`] = 1;
    }
    if (model.columns.integer[j]) ints[key] = 1;
    variables[key] = coefficients;
  }
  const { starts, indices, values } = model.matrix;
  for (let i = 0; i < model.rows.lower.length; i++) {
    const lo = model.rows.lower[i];
    const hi = model.rows.upper[i];
    if (lo === -Infinity && hi === Infinity) continue;
    constraints[`r${i}`] = lo === hi ? { equal: lo } : { ...(lo > -Infinity ? { min: lo } : {}), ...(hi < Infinity ? { max: hi } : {}) };
    for (let k = starts[i]; k < starts[i + 1]; k++) variables[`c${indices[k]}`][`r${i}`] = values[k];
  }
  return {
    optimize: objectiveKey,
    opType: model.sense === 'minimize' ? 'min' : 'max',
    constraints,
    variables,
    ints,
    unrestricted,
    options: { timeout: options.timeLimitSeconds !== undefined ? options.timeLimitSeconds * 1000 : undefined, tolerance: options.mipRelativeGap },
  };
}

/** Largest bound violation of `values`, relative to max(1, |bound|). */
function worstViolation(model: LinearModel, values: Float64Array): number {
  let worst = 0;
  const rel = (excess: number, bound: number): number => excess / Math.max(1, Math.abs(bound));
  const act = rowActivities(model, values);
  for (let i = 0; i < act.length; i++) worst = Math.max(worst, rel(model.rows.lower[i] - act[i], model.rows.lower[i]), rel(act[i] - model.rows.upper[i], model.rows.upper[i]));
  for (let j = 0; j < values.length; j++) {
    worst = Math.max(worst, rel(model.columns.lower[j] - values[j], model.columns.lower[j]), rel(values[j] - model.columns.upper[j], model.columns.upper[j]));
    if (model.columns.integer[j]) worst = Math.max(worst, Math.abs(values[j] - Math.round(values[j])));
  }
  return worst;
}

/**
 * Solves with javascript-lp-solver (dense tableau: small models only). Its answer is checked
 * against the model: a solution that violates a bound or integrality by more than 1e-6 is
 * reported as an error, never as a solution (it can flag a non-integral MILP answer feasible).
 * It gives no duals and no proven bound.
 */
export function solveWithJsLp(model: LinearModel, options: SerializableSolveOptions): SolveResult {
  const t0 = performance.now();
  const raw = jsLpSolver.Solve(toJsLpModel(model, options)) as Record<string, unknown>;
  const solveMs = (): number => performance.now() - t0;
  if (!raw.feasible) return { status: 'infeasible', backend: 'jslp', hasSolution: false, values: new Float64Array(0), solveMs: solveMs() };
  if (raw.bounded === false) return { status: 'unbounded', backend: 'jslp', hasSolution: false, values: new Float64Array(0), solveMs: solveMs() };
  const values = new Float64Array(model.columns.lower.length);
  for (let j = 0; j < values.length; j++) {
    const v = raw[`c${j}`];
    values[j] = typeof v === 'number' ? v : 0;
  }
  const worst = worstViolation(model, values);
  if (worst > 1e-6 || (isMip(model) && raw.isIntegral === false)) {
    return { status: 'error', backend: 'jslp', hasSolution: false, values: new Float64Array(0), solveMs: solveMs(), message: `javascript-lp-solver returned an answer violating the model by ${worst.toExponential(2)} (relative)` };
  }
  const objective = objectiveOf(model, values);
  return { status: 'optimal', backend: 'jslp', hasSolution: true, objective, bestBound: isMip(model) ? undefined : objective, gapPercent: isMip(model) ? undefined : 0, values, solveMs: solveMs() };
}
