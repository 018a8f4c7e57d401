import type { LinearModel } from '@reflux/optimization';
import type { Formulation } from './formulate';

/**
 * The plan's modules on, per column, made feasible again after a disruption: clipped to what is
 * still available, and raised where a module the clipping now starts later must stay on for its
 * minimum on time (`minon` rows).
 */
export function modulesOfPlan(f: Formulation): Map<number, number> {
  const m = f.model;
  const planned = new Map(f.start.indices.map((j, k) => [j, f.start.values[k]]));
  const out = new Map<number, number>();
  f.network.sites.forEach((site, s) =>
    site.processes.forEach((p, k) => {
      const mod = p.modules;
      const starts: number[] = [];
      let before = mod.initiallyOn;
      f.production.on[s][k].forEach((j, t) => {
        let v = Math.min(Math.max(planned.get(j) ?? 0, m.columns.lower[j]), m.columns.upper[j]);
        if (mod.minOnPeriods > 1) {
          let need = -(mod.installed - f.production.available[s][k][t]);
          for (let tau = Math.max(0, t - mod.minOnPeriods + 1); tau < t; tau++) need += starts[tau];
          v = Math.max(v, Math.min(m.columns.upper[j], need));
        }
        starts[t] = Math.max(0, v - before);
        before = v;
        out.set(j, v);
      });
    }),
  );
  return out;
}

/** The formulation as an LP with the modules on fixed at {@link modulesOfPlan}, start-ups continuous. */
export function withModulesOfPlan(f: Formulation): LinearModel {
  const m = f.model;
  const lower = Float64Array.from(m.columns.lower);
  const upper = Float64Array.from(m.columns.upper);
  for (const [j, v] of modulesOfPlan(f)) {
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
