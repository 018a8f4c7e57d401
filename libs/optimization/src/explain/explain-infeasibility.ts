import type { Highs } from 'highs';
import { withHighsModel } from '../backends/highs.backend';
import type { LinearModel } from '../model/linear-model';
import type { InfeasibilityExplanation, Relaxation } from './infeasibility.types';

/** Penalty per unit of a violated column bound, relative to 1 per unit of a violated row. */
const columnBoundPenalty = 1000;
/** The irreducible infeasible subset is only searched on models up to this many rows + columns. */
const iisSizeLimit = 60_000;

function tolerance(bound: number): number {
  return 1e-6 * Math.max(1, Math.abs(bound));
}

function relaxations(model: LinearModel, colValue: Float64Array, rowValue: Float64Array): Relaxation[] {
  const out: Relaxation[] = [];
  const check = (kind: Relaxation['kind'], name: string, value: number, lower: number, upper: number): void => {
    if (value < lower - tolerance(lower)) out.push({ kind, name, bound: 'lower', boundValue: lower, value, violation: lower - value });
    else if (value > upper + tolerance(upper)) out.push({ kind, name, bound: 'upper', boundValue: upper, value, violation: value - upper });
  };
  model.rows.names.forEach((name, i) => check('row', name, rowValue[i], model.rows.lower[i], model.rows.upper[i]));
  model.columns.names.forEach((name, j) => check('column-bound', name, colValue[j], model.columns.lower[j], model.columns.upper[j]));
  return out.sort((a, b) => b.violation - a.violation);
}

/**
 * Explains an infeasible model by name (synchronous; call it inside a worker thread):
 * 1. elastic reformulation (HiGHS `feasibilityRelaxation`): each row may be violated at 1 per unit (or its `rowPenalties` entry),
 *    each continuous column bound at 1000 per unit, integer bounds not at all; the violated items of
 *    the cheapest relaxation are the ones that had to give way, with how much;
 * 2. an irreducible infeasible subset of the LP relaxation (HiGHS `getIis`), when the model is small
 *    enough for the repeated solves it takes.
 */
export function explainInfeasibilityWithHighs(highs: Highs, model: LinearModel, timeLimitSeconds: number | undefined, rowPenalties?: Float64Array): InfeasibilityExplanation {
  return withHighsModel(highs, model, (m) => {
    if (timeLimitSeconds !== undefined) m.options.set({ time_limit: timeLimitSeconds });
    m.run();
    const s = highs.constants.modelStatus;
    const status = m.getModelStatus();
    if (status === s.optimal || status === s.unbounded) {
      return { feasible: true, relaxations: [], conflict: { rows: [], columns: [] }, message: 'the model is feasible' };
    }
    const n = model.columns.names.length;
    const lowerPenalty = new Float64Array(n);
    const upperPenalty = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const p = model.columns.integer[j] ? -1 : columnBoundPenalty;
      lowerPenalty[j] = p;
      upperPenalty[j] = p;
    }
    m.feasibilityRelaxation({ globalLowerPenalty: columnBoundPenalty, globalUpperPenalty: columnBoundPenalty, globalRowPenalty: 1, localLowerPenalty: lowerPenalty, localUpperPenalty: upperPenalty, localRowPenalty: rowPenalties });
    const relaxed = m.getSolution();
    const found = relaxed.colValue.length === n ? relaxations(model, relaxed.colValue, relaxed.rowValue) : [];
    let conflict = { rows: [] as string[], columns: [] as string[] };
    if (n + model.rows.names.length <= iisSizeLimit) {
      try {
        m.options.set({ iis_strategy: highs.constants.iis.strategyRowPriority });
        const iis = m.getIis();
        conflict = { rows: Array.from(iis.rowIndex, (i) => model.rows.names[i]), columns: Array.from(iis.colIndex, (j) => model.columns.names[j]) };
      } catch {
        // An IIS is a bonus over the elastic explanation; HiGHS may decline for MIPs.
      }
    }
    const named = found.slice(0, 5).map((r) => `${r.name} (${r.bound} bound ${r.boundValue}, short by ${Number(r.violation.toPrecision(4))})`);
    const message =
      found.length > 0
        ? `infeasible: relaxing ${found.length} constraint(s) makes it feasible: ${named.join('; ')}${found.length > 5 ? '; …' : ''}`
        : conflict.rows.length > 0
          ? `infeasible: conflicting constraints ${conflict.rows.join(', ')}`
          : 'infeasible, and no relaxation of rows or continuous bounds repairs it (integrality conflicts)';
    return { feasible: false, relaxations: found, conflict, message };
  });
}
