import { terms, type TermList } from '@reflux/optimization';
import type { EffectiveYields } from '../yields';
import { periodLabel, type FormulationContext } from './formulation-context';
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
      ctx.row(`tank:${tank.id}:${periodLabel(t)}`, cap, tank.minT, tank.maxT, () => ({ text: `room in tank ${tank.id} at the end of period ${ctx.timeOf(t)}`, unit: 't' }));
    }
    if (tank.finalMinT !== undefined) {
      const fin = terms();
      inv.forEach((series) => fin.add(series[T - 1], 1));
      ctx.row(`tank-final:${tank.id}`, fin, tank.finalMinT, Infinity, () => ({ text: `stock required in tank ${tank.id} at the end of the horizon`, unit: 't' }));
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
      ctx.row(`supply-total:${s.id}`, total, -Infinity, s.totalMaxT, () => ({ text: `total available from supply ${s.id}`, unit: 't' }));
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
    ctx.row(`demand:${d.id}`, row.add(s, 1), d.quantityT, d.quantityT, () => ({ text: `demand ${d.id} (${d.quantityT} t of ${d.material} due ${ctx.timeOf(d.duePeriod + 1)})`, unit: 't' }));
  });
  for (const material of problem.materials) {
    const rows = balance.get(material.id)!;
    for (let t = 0; t < T; t++) {
      const r = t === 0 ? rhs.get(material.id)! : 0;
      ctx.row(`balance:${material.id}:${periodLabel(t)}`, rows[t], r, r, () => ({ text: `${material.id} available in period ${ctx.timeOf(t)}`, unit: 't' }));
    }
  }
  return { inventory, purchases, sales, deliveries, shortfall };
}
