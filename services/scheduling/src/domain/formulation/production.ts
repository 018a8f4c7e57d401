import { terms } from '@reflux/optimization';
import type { UnitSpec } from '../problem.schema';
import { periodLabel, type FormulationContext, type RowMeaning } from './formulation-context';

export interface ProductionVariables {
  /** Throughput of unit u in mode m during period t, t: `x[u][m][t]`. */
  readonly x: number[][][];
  /** MILP only: unit u runs mode m in period t (binary); index `modes.length` is the idle state (continuous). Empty in the LP. */
  readonly y: number[][][];
  /** Transitions (MILP): `w[u][t]` lists {from, to, column}; from/to index modes, `modes.length` = idle. */
  readonly transitions: { from: number; to: number; column: number }[][][];
  readonly available: (u: number, t: number) => boolean;
}

function changeover(unit: UnitSpec, from: number, to: number): { periods: number; cost: number } {
  const idle = unit.modes.length;
  if (from === to) return { periods: 0, cost: 0 };
  if (from === idle) return { periods: 0, cost: unit.modes[to].startupCost };
  if (to === idle) return { periods: 0, cost: unit.modes[from].shutdownCost };
  const c = unit.changeovers.find((k) => k.from === unit.modes[from].id && k.to === unit.modes[to].id);
  return { periods: c?.periods ?? 0, cost: c?.cost ?? 0 };
}

/**
 * Modes, rates, unavailability; in the MILP also the state-transition network of each unit.
 *
 * MILP states per unit and period: one binary per mode plus a continuous idle state, summing with
 * the changeovers in progress to 1. Transition variables w(a→b, t) carry the unit from its state in
 * t−1 to its state in t + changeover periods(a→b) — a network-flow formulation whose LP relaxation
 * is the convex hull of the single-unit sequencing polytope with zero-length changeovers, unlike a
 * big-M link between consecutive binaries. Start-ups are arrivals into a mode from another state;
 * the minimum run length uses the turn-on inequality y(b, t) ≥ Σ starts(b, t−L+1 … t), which is
 * also tight (Rajan & Takriti). Costs sit on the transitions (start-up from idle, changeover
 * between modes), so they need no extra binaries.
 */
export function formulateProduction(ctx: FormulationContext, milp: boolean): ProductionVariables {
  const { problem, T, dt } = ctx;
  const down = problem.units.map((u) => {
    const flags = new Uint8Array(T);
    problem.unavailability.filter((w) => w.unit === u.id).forEach((w) => flags.fill(1, w.fromPeriod, Math.min(T, w.toPeriod)));
    return flags;
  });
  const available = (u: number, t: number): boolean => down[u][t] === 0;
  const x: number[][][] = [];
  const y: number[][][] = [];
  const transitions: ProductionVariables['transitions'] = [];
  problem.units.forEach((unit, u) => {
    const cw = problem.energy.coolingWaterCostPerM3;
    x.push(unit.modes.map((mode) => Array.from({ length: T }, (_, t) => {
      // capacity is a named row (occupancy in the LP, rate-max in the MILP), so its shadow price is reported by name
      const j = ctx.col(`x:${unit.id}:${mode.id}:${periodLabel(t)}`, { upper: available(u, t) ? Infinity : 0 });
      ctx.cost(j, mode.variableCostPerT, 'production');
      ctx.cost(j, mode.utilities.coolingWaterM3PerT * cw, 'coolingWater');
      return j;
    })));
    if (!milp) {
      // Campaign-planning LP: modes share each period's time in proportion to throughput / capacity
      // (minimum rates, starts and changeovers need binaries and are left to the MILP).
      for (let t = 0; t < T; t++) {
        if (!available(u, t)) continue;
        const occ = terms();
        unit.modes.forEach((mode, m) => occ.add(x[u][m][t], 1 / (mode.maxRateTPerH * dt)));
        ctx.row(`occupancy:${unit.id}:${periodLabel(t)}`, occ, -Infinity, 1, occupancyMeaning(ctx, unit.id, t));
      }
      y.push([]);
      transitions.push([]);
      return;
    }
    y.push(unit.modes.map((mode) => Array.from({ length: T }, (_, t) => ctx.col(`y:${unit.id}:${mode.id}:${periodLabel(t)}`, { upper: available(u, t) ? 1 : 0, integer: true }))));
    unit.modes.forEach((mode, m) => {
      for (let t = 0; t < T; t++) {
        if (!available(u, t)) continue;
        ctx.row(`rate-max:${unit.id}:${mode.id}:${periodLabel(t)}`, terms().add(x[u][m][t], 1).add(y[u][m][t], -mode.maxRateTPerH * dt), -Infinity, 0, capacityMeaning(ctx, unit.id, mode.id, t));
        if (mode.minRateTPerH > 0) ctx.row(`rate-min:${unit.id}:${mode.id}:${periodLabel(t)}`, terms().add(x[u][m][t], 1).add(y[u][m][t], -mode.minRateTPerH * dt), 0, Infinity);
      }
    });
    transitionNetwork(ctx, unit, u, y[u], available, transitions);
  });
  return { x, y, transitions, available };
}

function transitionNetwork(ctx: FormulationContext, unit: UnitSpec, u: number, yu: number[][], available: (u: number, t: number) => boolean, out: ProductionVariables['transitions']): void {
  const { T } = ctx;
  const M = unit.modes.length;
  const idle = M;
  const stateName = (s: number): string => (s === idle ? 'idle' : unit.modes[s].id);
  yu.push(Array.from({ length: T }, (_, t) => ctx.col(`y:${unit.id}:idle:${periodLabel(t)}`, { upper: 1 })));
  const initial = unit.initialMode ? unit.modes.findIndex((m) => m.id === unit.initialMode) : idle;
  const w: { from: number; to: number; column: number }[][] = [];
  const arrivals: number[][][] = Array.from({ length: M + 1 }, () => Array.from({ length: T }, () => [] as number[]));
  const startsInto: number[][][] = Array.from({ length: M + 1 }, () => Array.from({ length: T }, () => [] as number[]));
  const inChangeover: number[][] = Array.from({ length: T }, () => []);
  for (let t = 0; t < T; t++) {
    const list: { from: number; to: number; column: number }[] = [];
    for (let a = 0; a <= M; a++) {
      if (t === 0 && a !== initial) continue;
      for (let c = 0; c <= M; c++) {
        const { periods, cost } = changeover(unit, a, c);
        const arrive = t + periods;
        // a mode is not entered (nor changed over to) while the unit is down; staying is blocked by y's bound
        if (c !== idle && a !== c && (!available(u, t) || (arrive < T && !available(u, arrive)))) continue;
        const column = ctx.col(`w:${unit.id}:${stateName(a)}>${stateName(c)}:${periodLabel(t)}`, { upper: 1 });
        ctx.cost(column, cost, a === idle || c === idle ? 'startups' : 'changeovers');
        list.push({ from: a, to: c, column });
        if (arrive < T) arrivals[c][arrive].push(column);
        if (a !== c && arrive < T) startsInto[c][arrive].push(column);
        for (let k = t; k < Math.min(T, t + periods); k++) inChangeover[k].push(column);
      }
    }
    w.push(list);
  }
  out.push(w);
  for (let t = 0; t < T; t++) {
    for (let a = 0; a <= M; a++) {
      const leaving = w[t].filter((e) => e.from === a);
      if (leaving.length === 0) continue;
      const row = terms();
      leaving.forEach((e) => row.add(e.column, 1));
      if (t === 0) ctx.row(`depart:${unit.id}:${stateName(a)}:${periodLabel(t)}`, row, 1, 1);
      else ctx.row(`depart:${unit.id}:${stateName(a)}:${periodLabel(t)}`, row.add(yu[a][t - 1], -1), 0, 0);
    }
    for (let c = 0; c <= M; c++) {
      const row = terms().add(yu[c][t], 1);
      arrivals[c][t].forEach((j) => row.add(j, -1));
      ctx.row(`arrive:${unit.id}:${stateName(c)}:${periodLabel(t)}`, row, 0, 0);
    }
    const occ = terms();
    for (let s = 0; s <= M; s++) occ.add(yu[s][t], 1);
    inChangeover[t].forEach((j) => occ.add(j, 1));
    ctx.row(`occupancy:${unit.id}:${periodLabel(t)}`, occ, 1, 1);
  }
  unit.modes.forEach((mode, m) => {
    const L = mode.minRunPeriods;
    if (L <= 1) return;
    for (let t = 0; t < T; t++) {
      const row = terms().add(yu[m][t], 1);
      for (let k = Math.max(0, t - L + 1); k <= t; k++) startsInto[m][k].forEach((j) => row.add(j, -1));
      if (row.indices.length > 1) ctx.row(`min-run:${unit.id}:${mode.id}:${periodLabel(t)}`, row, 0, Infinity);
    }
    if (m === initial && unit.initialRunPeriods < L) {
      for (let t = 0; t < L - unit.initialRunPeriods && t < T; t++) {
        if (available(u, t)) ctx.row(`min-run:${unit.id}:${mode.id}:initial:${periodLabel(t)}`, terms().add(yu[m][t], 1), 1, Infinity);
      }
    }
  });
}

// Row meanings are made by module-level factories, so each closure retains only its own arguments:
// a closure created inside the formulation functions would keep their whole scope (every row's term
// lists) alive for as long as the formulation is, which made the build garbage-collector bound.
const occupancyMeaning = (ctx: FormulationContext, unit: string, t: number) => (): RowMeaning => ({ text: `time of ${unit} in period ${ctx.timeOf(t)}`, unit: 'period' });
const capacityMeaning = (ctx: FormulationContext, unit: string, mode: string, t: number) => (): RowMeaning => ({ text: `capacity of ${unit} in mode ${mode}, period ${ctx.timeOf(t)}`, unit: 't' });
