import { terms } from '@reflux/optimization';
import { periodLabel, type FormulationContext, type RowMeaning } from './formulation-context';
import type { ProductionVariables } from './production';

/**
 * Against the schedule in force: the frozen window keeps its modes and throughputs (not on a unit
 * that is down: a trip overrides the freeze); after it, throughput moved away from the published
 * plan costs `changePenaltyPerT` per t and (MILP) another mode `modeChangePenalty` per period.
 * Returns a MIP start (published modes) to warm-start the solver.
 */
export function formulatePublished(ctx: FormulationContext, prod: ProductionVariables, milp: boolean): { indices: number[]; values: number[] } {
  const published = ctx.problem.published;
  const start = { indices: [] as number[], values: [] as number[] };
  if (!published) return start;
  const { problem, T } = ctx;
  problem.units.forEach((unit, u) => {
    const byPeriod = new Map(published.assignments.filter((a) => a.unit === unit.id).map((a) => [a.period, a]));
    for (let t = 0; t < T; t++) {
      const a = byPeriod.get(t);
      if (!a) continue;
      const m = a.mode === null ? -1 : unit.modes.findIndex((mode) => mode.id === a.mode);
      const total = terms();
      unit.modes.forEach((_, k) => total.add(prod.x[u][k][t], 1));
      if (!prod.available(u, t)) continue;
      if (milp) {
        unit.modes.forEach((_, k) => {
          start.indices.push(prod.y[u][k][t]);
          start.values.push(k === m ? 1 : 0);
        });
      }
      if (t < published.frozenPeriods) {
        ctx.row(`frozen:${unit.id}:${periodLabel(t)}`, total, a.throughputT, a.throughputT, frozenMeaning(ctx, unit.id, t));
        unit.modes.forEach((_, k) => {
          if (k !== m) ctx.b.setBounds(prod.x[u][k][t], 0, 0);
          if (milp) ctx.b.setBounds(prod.y[u][k][t], k === m ? 1 : 0, k === m ? 1 : 0);
        });
        continue;
      }
      if (published.changePenaltyPerT > 0) {
        const dev = ctx.col(`change:${unit.id}:${periodLabel(t)}`);
        ctx.cost(dev, published.changePenaltyPerT, 'scheduleChanges');
        const up = terms().add(dev, 1);
        const down = terms().add(dev, 1);
        total.indices.forEach((j) => {
          up.add(j, -1);
          down.add(j, 1);
        });
        ctx.row(`change-up:${unit.id}:${periodLabel(t)}`, up, -a.throughputT, Infinity);
        ctx.row(`change-down:${unit.id}:${periodLabel(t)}`, down, a.throughputT, Infinity);
      }
      if (milp && m >= 0 && published.modeChangePenalty > 0) {
        ctx.cost(prod.y[u][m][t], -published.modeChangePenalty, 'scheduleChanges');
        ctx.constant(published.modeChangePenalty, 'scheduleChanges');
      }
    }
  });
  return start;
}

// Row meanings are made by module-level factories, so each closure retains only its own arguments:
// a closure created inside the formulation functions would keep their whole scope (every row's term
// lists) alive for as long as the formulation is, which made the build garbage-collector bound.
const frozenMeaning = (ctx: FormulationContext, unit: string, t: number) => (): RowMeaning => ({ text: `frozen throughput of ${unit} in period ${ctx.timeOf(t)}`, unit: 't' });
