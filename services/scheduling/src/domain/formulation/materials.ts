import { terms, type TermList } from '@reflux/optimization';
import type { EffectiveYields } from '../yields';
import { periodLabel, type FormulationContext, type RowMeaning } from './formulation-context';
import type { ProductionVariables } from './production';

export interface MaterialVariables {
  /** Inventory of tank k, material p (index in the tank's list) at the end of period t: `inventory[k][p][t]`. */
  readonly inventory: number[][][];
  readonly purchases: number[][];
  readonly sales: number[][];
  /** Deliveries of demand d in period t (-1 before its release): `deliveries[d][t]`. */
  readonly deliveries: number[][];
  readonly shortfall: number[];
}

/**
 * Material balances per material and period (tanks, supplies, sales, demands), tank capacities
 * (shared by the materials a tank may hold; which one it holds at a time is not modelled), final
 * stocks, and demands with lateness and shortfall.
 */
export function formulateMaterials(ctx: FormulationContext, prod: ProductionVariables, yields: EffectiveYields): MaterialVariables {
  const { problem, T } = ctx;
  const balance = new Map<string, TermList[]>(problem.materials.map((m) => [m.id, Array.from({ length: T }, () => terms())]));
  const rhs = new Map<string, number>(problem.materials.map((m) => [m.id, 0]));
  problem.units.forEach((unit, u) =>
    unit.modes.forEach((mode, m) => {
      // the balances a mode feeds and draws from, looked up once per mode rather than per period
      const loads = [
        ...mode.inputs.map((i) => ({ rows: balance.get(i.material)!, a: i.fraction })),
        ...yields.outputs.get(`${unit.id}/${mode.id}`)!.map((o) => ({ rows: balance.get(o.material)!, a: -o.yield })),
      ];
      for (let t = 0; t < T; t++) {
        const j = prod.x[u][m][t];
        for (const load of loads) load.rows[t].add(j, load.a);
      }
    }),
  );
  const inventory = problem.tanks.map((tank) => {
    const inv = tank.materials.map((p) =>
      Array.from({ length: T }, (_, t) => {
        const j = ctx.col(`inv:${tank.id}:${p}:${periodLabel(t)}`, { upper: tank.maxT });
        ctx.cost(j, tank.holdingCostPerTPerPeriod, 'inventoryHolding');
        balance.get(p)![t].add(j, 1);
        return j;
      }),
    );
    tank.materials.forEach((p, k) => {
      for (let t = 1; t < T; t++) balance.get(p)![t].add(inv[k][t - 1], -1);
      rhs.set(p, rhs.get(p)! + (tank.initialT[p] ?? 0));
    });
    for (let t = 0; t < T; t++) {
      const cap = terms();
      inv.forEach((series) => cap.add(series[t], 1));
      ctx.row(`tank:${tank.id}:${periodLabel(t)}`, cap, tank.minT, tank.maxT, tankMeaning(ctx, tank.id, t));
    }
    if (tank.finalMinT !== undefined) {
      const fin = terms();
      inv.forEach((series) => fin.add(series[T - 1], 1));
      ctx.row(`tank-final:${tank.id}`, fin, tank.finalMinT, Infinity, tankFinalMeaning(tank.id));
    }
    return inv;
  });
  const purchases = problem.supplies.map((s) => {
    const cols = Array.from({ length: T }, (_, t) => {
      const j = ctx.col(`buy:${s.id}:${periodLabel(t)}`, { upper: s.availableTPerPeriod?.[t] ?? s.maxTPerPeriod });
      ctx.cost(j, s.pricePerT, 'rawMaterials');
      balance.get(s.material)![t].add(j, -1);
      return j;
    });
    if (s.totalMaxT !== undefined) {
      const total = terms();
      cols.forEach((j) => total.add(j, 1));
      ctx.row(`supply-total:${s.id}`, total, -Infinity, s.totalMaxT, supplyTotalMeaning(s.id));
    }
    return cols;
  });
  const sales = problem.sales.map((s) =>
    Array.from({ length: T }, (_, t) => {
      const j = ctx.col(`sell:${s.id}:${periodLabel(t)}`, { upper: s.maxTPerPeriod });
      ctx.cost(j, -s.pricePerT, 'sales');
      balance.get(s.material)![t].add(j, 1);
      return j;
    }),
  );
  const deliveries: number[][] = [];
  const shortfall: number[] = [];
  problem.demands.forEach((d) => {
    const row = terms();
    deliveries.push(
      Array.from({ length: T }, (_, t) => {
        if (t < d.releasePeriod) return -1;
        const j = ctx.col(`deliver:${d.id}:${periodLabel(t)}`, { upper: d.quantityT });
        ctx.cost(j, (Math.max(0, t - d.duePeriod) * d.latenessPenaltyPerTPerPeriod) / d.priority, 'lateness');
        balance.get(d.material)![t].add(j, 1);
        row.add(j, 1);
        return j;
      }),
    );
    const s = ctx.col(`short:${d.id}`, { upper: d.quantityT });
    ctx.cost(s, d.shortfallPenaltyPerT / d.priority, 'shortfall');
    shortfall.push(s);
    ctx.row(`demand:${d.id}`, row.add(s, 1), d.quantityT, d.quantityT, demandMeaning(ctx, d.id, d.quantityT, d.material, d.duePeriod));
  });
  for (const material of problem.materials) {
    const rows = balance.get(material.id)!;
    for (let t = 0; t < T; t++) {
      const r = t === 0 ? rhs.get(material.id)! : 0;
      ctx.row(`balance:${material.id}:${periodLabel(t)}`, rows[t], r, r, balanceMeaning(ctx, material.id, t));
    }
  }
  return { inventory, purchases, sales, deliveries, shortfall };
}

// Row meanings are made by module-level factories, so each closure retains only its own arguments:
// a closure created inside the formulation functions would keep their whole scope (every row's term
// lists) alive for as long as the formulation is, which made the build garbage-collector bound.
const tankMeaning = (ctx: FormulationContext, tank: string, t: number) => (): RowMeaning => ({ text: `room in tank ${tank} at the end of period ${ctx.timeOf(t)}`, unit: 't' });
const tankFinalMeaning = (tank: string) => (): RowMeaning => ({ text: `stock required in tank ${tank} at the end of the horizon`, unit: 't' });
const supplyTotalMeaning = (supply: string) => (): RowMeaning => ({ text: `total available from supply ${supply}`, unit: 't' });
const demandMeaning = (ctx: FormulationContext, demand: string, quantityT: number, material: string, duePeriod: number) => (): RowMeaning => ({ text: `demand ${demand} (${quantityT} t of ${material} due ${ctx.timeOf(duePeriod + 1)})`, unit: 't' });
const balanceMeaning = (ctx: FormulationContext, material: string, t: number) => (): RowMeaning => ({ text: `${material} available in period ${ctx.timeOf(t)}`, unit: 't' });
