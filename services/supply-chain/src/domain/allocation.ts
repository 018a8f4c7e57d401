import type { SolveResult } from '@reflux/optimization';
import { costCategories, type CostCategory } from './formulation/context';
import type { Formulation } from './formulation/formulate';

export interface PlannedProduction {
  readonly site: string;
  readonly process: string;
  readonly material: string;
  readonly period: number;
  readonly quantityT: number;
  readonly modulesOn: number;
}

export interface PlannedShipment {
  readonly lane: string;
  readonly material: string;
  readonly period: number;
  readonly arrivalPeriod: number;
  readonly quantityT: number;
}

export interface OrderPromise {
  readonly orderId: string;
  readonly customer: string;
  readonly product: string;
  readonly quantityT: number;
  readonly duePeriod: number;
  readonly deliveredT: number;
  /** Period by which the whole order has arrived; null when part of it is not delivered in the horizon. */
  readonly promisedPeriod: number | null;
  readonly latePeriods: number;
  readonly shortfallT: number;
}

export interface SiteUtilisation {
  readonly site: string;
  readonly period: number;
  readonly madeT: number;
  readonly capacityT: number;
  readonly modulesOn: number;
  readonly modulesAvailable: number;
}

export interface Allocation {
  readonly status: SolveResult['status'];
  /** Weighted objective (money; CO₂ at its price and risk at their weights). */
  readonly objective: number;
  readonly gapPercent: number;
  readonly production: readonly PlannedProduction[];
  readonly shipments: readonly PlannedShipment[];
  readonly orders: readonly OrderPromise[];
  readonly utilisation: readonly SiteUtilisation[];
  /** Unweighted money per category (co2 = emissions × CO₂ price). */
  readonly costs: Readonly<Record<CostCategory, number>>;
  readonly co2T: number;
}

/** The plan a re-allocation starts from. */
export interface CurrentPlan {
  /** Periods 0 … frozenPeriods−1 are committed: their production and departures stay. */
  readonly frozenPeriods: number;
  /** Money per tonne made or shipped other than planned after the frozen periods. */
  readonly deviationPenaltyPerT: number;
  readonly production: readonly Pick<PlannedProduction, 'site' | 'process' | 'period' | 'quantityT' | 'modulesOn'>[];
  readonly shipments: readonly Pick<PlannedShipment, 'lane' | 'material' | 'period' | 'quantityT'>[];
}

const EPS = 1e-6;

function clean(x: number): number {
  const r = Math.round(x * 1e6) / 1e6;
  return Math.abs(r) < EPS ? 0 : r;
}

/** Money per category of a solution (unweighted), plus the emissions in t. */
export function costBreakdown(f: Formulation, values: Float64Array): { costs: Record<CostCategory, number>; co2T: number } {
  const costs = Object.fromEntries(costCategories.map((c) => [c, f.constantCosts.get(c) ?? 0])) as Record<CostCategory, number>;
  const { columns, coefficients, categories } = f.costTerms;
  for (let i = 0; i < columns.length; i++) costs[costCategories[categories[i]]] += coefficients[i] * values[columns[i]];
  let co2T = 0;
  for (let i = 0; i < f.co2Terms.columns.length; i++) co2T += f.co2Terms.tPerUnit[i] * values[f.co2Terms.columns[i]];
  for (const c of costCategories) costs[c] = clean(costs[c]);
  return { costs, co2T: clean(co2T) };
}

/** Reads an allocation (production, shipments, promises, utilisation, costs) from a solution of the formulation. */
export function readAllocation(f: Formulation, result: SolveResult): Allocation {
  const v = result.values;
  const { network, T } = { network: f.network, T: f.network.horizon.periods };
  const production: PlannedProduction[] = [];
  const utilisation: SiteUtilisation[] = [];
  network.sites.forEach((site, s) => {
    for (let t = 0; t < T; t++) {
      let madeT = 0;
      let capacityT = 0;
      let modulesOn = 0;
      let modulesAvailable = 0;
      site.processes.forEach((p, k) => {
        const q = clean(v[f.production.make[s][k][t]]);
        const on = clean(v[f.production.on[s][k][t]]);
        if (q > 0 || on > 0) production.push({ site: site.id, process: p.id, material: p.output, period: t, quantityT: q, modulesOn: on });
        madeT += q;
        capacityT += f.production.available[s][k][t] * p.modules.capacityTPerPeriod;
        modulesOn += on;
        modulesAvailable += f.production.available[s][k][t];
      });
      if (site.processes.length > 0) utilisation.push({ site: site.id, period: t, madeT: clean(madeT), capacityT, modulesOn: clean(modulesOn), modulesAvailable });
    }
  });
  const shipments: PlannedShipment[] = [];
  for (const sh of f.transport.shipments) {
    const q = clean(v[sh.column]);
    const lane = network.lanes[sh.lane];
    if (q > 0) shipments.push({ lane: lane.id, material: sh.material, period: sh.period, arrivalPeriod: sh.period + lane.leadTimePeriods, quantityT: q });
  }
  const orders = network.orders.map((o, i): OrderPromise => {
    let cumulative = 0;
    let promisedPeriod: number | null = null;
    for (let t = 0; t < T; t++) {
      cumulative += v[f.orders.deliver[i][t]];
      if (promisedPeriod === null && cumulative >= o.quantityT - 1e-6 * Math.max(1, o.quantityT)) promisedPeriod = t;
    }
    const shortfallT = clean(v[f.orders.late[i][f.orders.late[i].length - 1]]);
    const latePeriods = promisedPeriod === null ? T - o.duePeriod : Math.max(0, promisedPeriod - o.duePeriod);
    return { orderId: o.id, customer: o.customer, product: o.product, quantityT: o.quantityT, duePeriod: o.duePeriod, deliveredT: clean(cumulative), promisedPeriod, latePeriods, shortfallT };
  });
  const { costs, co2T } = costBreakdown(f, v);
  return { status: result.status, objective: clean(result.objective ?? 0), gapPercent: result.gapPercent ?? 0, production, shipments, orders, utilisation, costs, co2T };
}

/** The allocation as the plan a re-allocation starts from. */
export function toCurrentPlan(a: Allocation, frozenPeriods: number, deviationPenaltyPerT: number): CurrentPlan {
  return { frozenPeriods, deviationPenaltyPerT, production: a.production, shipments: a.shipments };
}
