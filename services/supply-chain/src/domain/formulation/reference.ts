import { terms } from '@reflux/optimization';
import type { CurrentPlan } from '../allocation';
import { periodLabel, type FormulationContext, type RowMeaning } from './context';
import { lostTPerPeriod, makeLimitT, type ProductionVariables } from './production';
import type { TransportVariables } from './transport';

/**
 * Against the current plan: shipments departed in the frozen periods (in transit or committed) and
 * production and modules on in those periods stay as planned (production only as far as the modules still
 * available allow: a trip overrides the freeze); after them, every tonne made or shipped other than
 * planned costs `deviationPenaltyPerT`. Returns a MIP start (the plan's modules) for the solver.
 */
export function formulateReference(ctx: FormulationContext, prod: ProductionVariables, transport: TransportVariables, plan: CurrentPlan): { indices: number[]; values: number[] } {
  const start = { indices: [] as number[], values: [] as number[] };
  const F = plan.frozenPeriods;
  const penalty = plan.deviationPenaltyPerT;
  const planned = new Map<number, number>();
  const siteIndex = new Map(ctx.network.sites.map((s, i) => [s.id, i]));
  for (const p of plan.production) {
    const s = siteIndex.get(p.site);
    const k = s === undefined ? -1 : ctx.network.sites[s].processes.findIndex((x) => x.id === p.process);
    if (s === undefined || k < 0 || p.period >= ctx.T) continue;
    const avail = prod.available[s][k][p.period];
    const on = Math.min(p.modulesOn, avail);
    const site = ctx.network.sites[s];
    const made = Math.min(p.quantityT, on * site.processes[k].modules.capacityTPerPeriod, makeLimitT(ctx.network, site, site.processes[k], p.period));
    // a loss of the whole site in a frozen period: each frozen production may fall short, never exceed the plan
    const siteLoss = lostTPerPeriod(ctx.network, site, undefined, p.period) > 0;
    start.indices.push(prod.on[s][k][p.period]);
    start.values.push(on);
    if (p.period < F) {
      ctx.b.setBounds(prod.on[s][k][p.period], on, on);
      frozenRow(ctx, `frozen:make:${p.site}/${p.process}:${periodLabel(p.period)}`, prod.make[s][k][p.period], siteLoss ? 0 : made, made, { kind: 'frozen', text: `frozen production of ${p.process} at ${p.site} in period ${p.period}`, unit: 't' });
    } else planned.set(prod.make[s][k][p.period], p.quantityT);
  }
  const shipIndex = new Map(transport.shipments.map((s) => [`${ctx.network.lanes[s.lane].id}|${s.material}|${s.period}`, s.column]));
  for (const sh of plan.shipments) {
    const column = shipIndex.get(`${sh.lane}|${sh.material}|${sh.period}`);
    if (column === undefined) continue; // the lane closed or the material may no longer travel on it
    // a committed departure from a site that a disruption now stops may fall short, never exceed the plan
    const short = F > sh.period && disrupted(ctx, prod, laneOrigin(ctx, sh.lane), sh.period);
    if (sh.period < F) frozenRow(ctx, `frozen:ship:${sh.lane}/${sh.material}:${periodLabel(sh.period)}`, column, short ? 0 : sh.quantityT, sh.quantityT, { kind: 'frozen', text: `committed shipment of ${sh.material} on ${sh.lane} departing in period ${sh.period}`, unit: 't' });
    else planned.set(column, sh.quantityT);
  }
  if (F > 0) {
    // nothing unplanned departs or is made in a frozen period
    const plannedShip = new Set(plan.shipments.filter((p) => p.period < F).map((p) => `${p.lane}|${p.material}|${p.period}`));
    for (const sh of transport.shipments) if (sh.period < F && !plannedShip.has(`${ctx.network.lanes[sh.lane].id}|${sh.material}|${sh.period}`)) ctx.b.setBounds(sh.column, 0, 0);
    const plannedMake = new Set(plan.production.filter((p) => p.period < F).map((p) => `${p.site}|${p.process}|${p.period}`));
    ctx.network.sites.forEach((site, s) =>
      site.processes.forEach((p, k) => {
        for (let t = 0; t < Math.min(F, ctx.T); t++) if (!plannedMake.has(`${site.id}|${p.id}|${t}`)) {
            ctx.b.setBounds(prod.make[s][k][t], 0, 0);
            ctx.b.setBounds(prod.on[s][k][t], 0, 0);
          }
      }),
    );
  }
  if (penalty <= 0) return start;
  const deviating = [...prod.make.flatMap((bySite) => bySite.flatMap((byPeriod) => byPeriod.slice(F))), ...transport.shipments.filter((s) => s.period >= F).map((s) => s.column)];
  for (const column of deviating) {
    const r = planned.get(column);
    if (r === undefined) {
      ctx.cost(column, penalty, 'planChanges'); // planned zero: every tonne is a change
      continue;
    }
    const name = `dev:${column}`;
    const up = ctx.col(`${name}+`);
    const down = ctx.col(`${name}-`);
    ctx.cost(up, penalty, 'planChanges');
    ctx.cost(down, penalty, 'planChanges');
    ctx.row(name, terms().add(column, 1).add(up, -1).add(down, 1), r, r);
  }
  return start;
}

/**
 * The plan's quantities are read rounded to 1e-6 t (`readAllocation`), so frozen quantities tied by
 * a bill of material or a stock balance can disagree by a few 1e-6 t, more than the solver's
 * feasibility tolerance: each frozen row may give up to this much, at a price no saving outweighs.
 */
export const FROZEN_ROUNDING_T = 1e-5;
const FROZEN_ROUNDING_PENALTY_PER_T = 1e6;

function frozenRow(ctx: FormulationContext, name: string, column: number, lower: number, upper: number, meaning: RowMeaning): void {
  const up = ctx.col(`${name}:round+`, { upper: FROZEN_ROUNDING_T });
  const down = ctx.col(`${name}:round-`, { upper: FROZEN_ROUNDING_T });
  ctx.cost(up, FROZEN_ROUNDING_PENALTY_PER_T, 'planChanges');
  ctx.cost(down, FROZEN_ROUNDING_PENALTY_PER_T, 'planChanges');
  ctx.row(name, terms().add(column, 1).add(up, -1).add(down, 1), lower, upper, meaning);
}

function laneOrigin(ctx: FormulationContext, laneId: string): number {
  const lane = ctx.network.lanes.find((l) => l.id === laneId);
  return ctx.network.sites.findIndex((s) => s.id === lane?.from);
}

/** True when a capacity change takes modules away, or a suspected loss takes output away, at site `s` in period t. */
function disrupted(ctx: FormulationContext, prod: ProductionVariables, s: number, t: number): boolean {
  if (s < 0) return false;
  const site = ctx.network.sites[s];
  return lostTPerPeriod(ctx.network, site, undefined, t) > 0 || site.processes.some((p, k) => prod.available[s][k][t] < p.modules.installed || lostTPerPeriod(ctx.network, site, p, t) > 0);
}
