import { modelSize, type ModelSize, type SolveResult } from '@reflux/optimization';
import { costCategories, type CostCategory } from './formulation/formulation-context';
import type { Formulation } from './formulation/formulate';
import type { YieldSource } from './yields';

export interface UnitPeriod {
  readonly period: number;
  readonly start: string;
  /** Mode running most of the period, or null (idle, down or changing over). */
  readonly mode: string | null;
  readonly throughputT: number;
  /** Every mode with a share of the period (one in the MILP; several in the LP). */
  readonly modes: readonly { readonly mode: string; readonly share: number; readonly throughputT: number }[];
  readonly changingOver: boolean;
  readonly available: boolean;
}

export interface EnergyPeriod {
  readonly period: number;
  readonly start: string;
  readonly powerPricePerMWh: number;
  readonly powerImportMWh: number;
  readonly powerExportMWh: number;
  readonly powerGeneratedMWh: number;
  readonly fuelPurchasedMWh: Readonly<Record<string, number>>;
  readonly gasFlaredMWh: Readonly<Record<string, number>>;
  readonly boilerSteamT: Readonly<Record<string, number>>;
}

export interface Schedule {
  readonly units: readonly { readonly unit: string; readonly periods: readonly UnitPeriod[] }[];
  readonly tanks: readonly { readonly tank: string; readonly inventoryT: readonly { readonly period: number; readonly totalT: number; readonly byMaterialT: Readonly<Record<string, number>> }[] }[];
  readonly demands: readonly { readonly demand: string; readonly onTimeT: number; readonly lateT: number; readonly shortfallT: number; readonly deliveriesT: readonly { readonly period: number; readonly quantityT: number }[] }[];
  readonly energy: readonly EnergyPeriod[];
  readonly co2T: number;
  readonly energyCost: number;
}

export type CostBreakdown = Readonly<Record<CostCategory, number>>;

const round = (v: number, digits = 6): number => {
  const r = Number(v.toFixed(digits));
  return Object.is(r, -0) ? 0 : r;
};

export function costBreakdown(f: Formulation, values: Float64Array): CostBreakdown {
  const out = Object.fromEntries(costCategories.map((c) => [c, 0])) as Record<CostCategory, number>;
  const { columns, coefficients, categories } = f.costTerms;
  for (let k = 0; k < columns.length; k++) out[costCategories[categories[k]]] += coefficients[k] * values[columns[k]];
  for (const [c, v] of f.constantCosts) out[c] += v;
  for (const c of costCategories) out[c] = round(out[c], 2);
  return out;
}

/** Energy cost of a schedule: power (incl. the peak charge), fuels, flaring, venting, CO₂. */
export function energyCostOf(breakdown: CostBreakdown): number {
  return round(breakdown.power + breakdown.powerPeak + breakdown.fuel + breakdown.flaring + breakdown.steamVenting + breakdown.co2, 2);
}

export function extractSchedule(f: Formulation, values: Float64Array, breakdown: CostBreakdown): Schedule {
  const { problem } = f;
  const T = problem.horizon.periods;
  const v = (j: number): number => (j < 0 ? 0 : round(values[j]));
  const { production: prod, materials: mat, energy: en } = f;
  const start = (t: number): string => new Date(Date.parse(problem.horizon.start) + t * problem.horizon.periodHours * 3_600_000).toISOString();
  const units = problem.units.map((unit, u) => ({
    unit: unit.id,
    periods: Array.from({ length: T }, (_, t): UnitPeriod => {
      // LP: the share of a mode is its utilisation (throughput / capacity); MILP: the binary.
      const share = (m: number): number => (f.milp ? v(prod.y[u][m][t]) : round(v(prod.x[u][m][t]) / (unit.modes[m].maxRateTPerH * problem.horizon.periodHours)));
      const modes = unit.modes.map((mode, m) => ({ mode: mode.id, share: share(m), throughputT: v(prod.x[u][m][t]) })).filter((m) => m.share > 1e-6 || m.throughputT > 1e-6);
      const main = [...modes].sort((a, b) => b.share - a.share || b.throughputT - a.throughputT)[0];
      const idleShare = f.milp ? v(prod.y[u][unit.modes.length][t]) : 0;
      return {
        period: t,
        start: start(t),
        mode: main && (f.milp ? main.share >= 0.5 : main.throughputT > 1e-6) ? main.mode : null,
        throughputT: round(modes.reduce((s, m) => s + m.throughputT, 0)),
        modes,
        changingOver: f.milp && modes.reduce((s, m) => s + m.share, 0) + idleShare < 0.5,
        available: prod.available(u, t),
      };
    }),
  }));
  const tanks = problem.tanks.map((tank, k) => ({
    tank: tank.id,
    inventoryT: Array.from({ length: T }, (_, t) => {
      const byMaterialT = Object.fromEntries(tank.materials.map((p, i) => [p, v(mat.inventory[k][i][t])]));
      return { period: t, totalT: round(Object.values(byMaterialT).reduce((s, x) => s + x, 0)), byMaterialT };
    }),
  }));
  const demands = problem.demands.map((d, i) => {
    const deliveriesT = mat.deliveries[i].map((j, t) => ({ period: t, quantityT: v(j) })).filter((x) => x.quantityT > 1e-6);
    return {
      demand: d.id,
      onTimeT: round(deliveriesT.filter((x) => x.period <= d.duePeriod).reduce((s, x) => s + x.quantityT, 0)),
      lateT: round(deliveriesT.filter((x) => x.period > d.duePeriod).reduce((s, x) => s + x.quantityT, 0)),
      shortfallT: v(mat.shortfall[i]),
      deliveriesT,
    };
  });
  const e = problem.energy;
  const energy = Array.from({ length: T }, (_, t): EnergyPeriod => ({
    period: t,
    start: start(t),
    powerPricePerMWh: en.prices[t],
    powerImportMWh: v(en.powerImport[t]),
    powerExportMWh: v(en.powerExport[t]),
    powerGeneratedMWh: round(e.turbines.reduce((s, tb, k) => s + tb.powerMWhPerT * v(en.turbineSteam[k][t]), 0)),
    fuelPurchasedMWh: Object.fromEntries(e.fuels.map((fu, k) => [fu.id, v(en.fuelPurchase[k][t])])),
    gasFlaredMWh: Object.fromEntries(e.byproductGases.map((g, k) => [g.id, v(en.flare[k][t])])),
    boilerSteamT: Object.fromEntries(e.boilers.map((b, k) => [b.id, v(en.boilerSteam[k][t])])),
  }));
  return { units, tanks, demands, energy, co2T: v(en.co2), energyCost: energyCostOf(breakdown) };
}

export interface ShadowPrice {
  readonly constraint: string;
  readonly meaning: string;
  /** Objective change per unit increase of the constraint's limit, in `currency` per `unit`. */
  readonly shadowPrice: number;
  readonly unit: string;
  readonly activity: number;
  readonly limit: number;
}

export interface ScheduleResult {
  readonly plant: string;
  readonly formulation: 'lp' | 'milp';
  readonly status: SolveResult['status'];
  readonly backend: SolveResult['backend'];
  readonly objective?: number;
  readonly bestBound?: number;
  readonly gapPercent?: number;
  readonly currency: string;
  readonly size: ModelSize;
  readonly buildMs: number;
  readonly solveMs: number;
  readonly costBreakdown?: CostBreakdown;
  readonly schedule?: Schedule;
  readonly yieldSources: readonly YieldSource[];
  /** Binding constraints, largest |shadow price| first (LP; MILP: the LP with its integer decisions fixed). */
  readonly bindingConstraints?: readonly ShadowPrice[];
  readonly infeasibility?: { readonly message: string; readonly relaxations: readonly { readonly constraint: string; readonly meaning?: string; readonly bound: string; readonly limit: number; readonly value: number; readonly violation: number }[]; readonly conflict: readonly string[] };
  readonly message?: string;
}

export function sizeOf(f: Formulation): ModelSize {
  return modelSize(f.model);
}

