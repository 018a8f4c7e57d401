import type { LinearModel } from '@reflux/optimization';
import type { Formulation } from './formulate';

/** The formulation as an LP with the modules on fixed at the plan's (clipped to what is still available), start-ups continuous. */
export function withModulesOfPlan(f: Formulation): LinearModel {
  const m = f.model;
  const lower = Float64Array.from(m.columns.lower);
  const upper = Float64Array.from(m.columns.upper);
  const planned = new Map(f.start.indices.map((j, k) => [j, f.start.values[k]]));
  for (const j of f.production.on.flat(2)) {
    const v = Math.min(Math.max(planned.get(j) ?? 0, m.columns.lower[j]), m.columns.upper[j]);
    lower[j] = v;
    upper[j] = v;
  }
  return { ...m, columns: { ...m.columns, lower, upper, integer: new Uint8Array(m.columns.integer.length) } };
}

/**
 * A MIP start for every column from a solution of {@link withModulesOfPlan}: modules on as solved
 * (integral), start-ups rounded and at least what the modules need, everything else as solved.
 */
export function completeStart(f: Formulation, values: ArrayLike<number>): { indices: number[]; values: number[] } {
  const v = Float64Array.from(values);
  const { on, start } = f.production;
  f.network.sites.forEach((site, s) =>
    site.processes.forEach((p, k) => {
      for (let t = 0; t < on[s][k].length; t++) {
        v[on[s][k][t]] = Math.round(v[on[s][k][t]]);
        const before = t > 0 ? v[on[s][k][t - 1]] : p.modules.initiallyOn;
        v[start[s][k][t]] = Math.max(f.model.columns.lower[start[s][k][t]], Math.round(v[start[s][k][t]]), v[on[s][k][t]] - before);
      }
    }),
  );
  return { indices: Array.from(v, (_, j) => j), values: Array.from(v) };
}
