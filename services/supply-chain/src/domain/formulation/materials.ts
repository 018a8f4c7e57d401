import { terms, type TermList } from '@reflux/optimization';
import { valueAt } from '../network.schema';
import { periodLabel, type FormulationContext } from './context';
import type { ProductionVariables } from './production';
import type { TransportVariables } from './transport';

export interface MaterialVariables {
  /** End-of-period stock by site id → material → period. */
  readonly stock: Map<string, Map<string, number[]>>;
  readonly purchases: { readonly site: string; readonly material: string; readonly period: number; readonly column: number }[];
}

/** Tonnes in transit (departed before period 0) arriving by lane and material and period. */
export function inTransitArrivals(ctx: FormulationContext): Map<string, number> {
  const out = new Map<string, number>();
  for (const x of ctx.network.inTransit) {
    const lane = ctx.network.lanes.find((l) => l.id === x.lane)!;
    const key = `${lane.to}|${x.material}|${x.arrivalPeriod}`;
    out.set(key, (out.get(key) ?? 0) + x.quantityT);
  }
  return out;
}

/**
 * Mass balance per site, material and period: stock before + made + bought + arriving − consumed by
 * the bills of material − departing = stock after; stock within the site's limits (no stock where
 * the site has no storage for the material); minimum stock as a named row.
 */
export function formulateMaterials(ctx: FormulationContext, prod: ProductionVariables, transport: TransportVariables): MaterialVariables {
  const { network, T } = ctx;
  const stock = new Map<string, Map<string, number[]>>();
  const purchases: MaterialVariables['purchases'][number][] = [];
  const arriving = inTransitArrivals(ctx);
  const rows = new Map<string, TermList[]>();
  const rhs = new Map<string, number[]>();
  const balance = (site: string, material: string, t: number): TermList => {
    const key = `${site}|${material}`;
    let list = rows.get(key);
    if (!list) {
      list = Array.from({ length: T }, () => terms());
      rows.set(key, list);
      rhs.set(key, new Array<number>(T).fill(0));
    }
    return list[t];
  };
  const addRhs = (site: string, material: string, t: number, v: number): void => {
    balance(site, material, t);
    rhs.get(`${site}|${material}`)![t] += v;
  };
  network.sites.forEach((site, s) => {
    site.processes.forEach((p, k) => {
      for (let t = 0; t < T; t++) {
        balance(site.id, p.output, t).add(prod.make[s][k][t], 1);
        for (const input of p.inputs) balance(site.id, input.material, t).add(prod.make[s][k][t], -input.tPerT);
      }
    });
    for (const buy of site.purchases)
      for (let t = 0; t < T; t++) {
        const x = ctx.col(`buy:${site.id}/${buy.material}:${periodLabel(t)}`, { upper: valueAt(buy.maxTPerPeriod, t) });
        ctx.cost(x, buy.costPerT, 'rawMaterials');
        balance(site.id, buy.material, t).add(x, 1);
        purchases.push({ site: site.id, material: buy.material, period: t, column: x });
      }
  });
  for (const sh of transport.shipments) {
    const lane = network.lanes[sh.lane];
    balance(lane.from, sh.material, sh.period).add(sh.column, -1);
  }
  const siteIds = new Set(network.sites.map((s) => s.id));
  for (const sh of transport.shipments) {
    const lane = network.lanes[sh.lane];
    if (siteIds.has(lane.to)) balance(lane.to, sh.material, sh.period + lane.leadTimePeriods).add(sh.column, 1);
  }
  for (const [key, q] of arriving) {
    const [site, material, t] = key.split('|');
    if (siteIds.has(site)) addRhs(site, material, Number(t), -q);
  }
  for (const site of network.sites) {
    const perMaterial = new Map<string, number[]>();
    stock.set(site.id, perMaterial);
    for (const inv of site.inventory) {
      const cols: number[] = [];
      for (let t = 0; t < T; t++) {
        const x = ctx.col(`stock:${site.id}/${inv.material}:${periodLabel(t)}`, { upper: inv.maxT });
        ctx.cost(x, inv.holdingCostPerTPerPeriod, 'inventoryHolding');
        cols.push(x);
        const row = balance(site.id, inv.material, t).add(x, -1);
        if (t > 0) row.add(cols[t - 1], 1);
        else addRhs(site.id, inv.material, 0, -inv.initialT);
        if (inv.minT > 0) ctx.row(`stockmin:${site.id}/${inv.material}:${periodLabel(t)}`, terms().add(x, 1), inv.minT, Infinity, { kind: 'stock', text: `minimum stock of ${inv.material} at ${site.id} in period ${t}`, unit: 't' });
      }
      perMaterial.set(inv.material, cols);
    }
  }
  for (const [key, list] of rows) {
    const [site, material] = key.split('|');
    const r = rhs.get(key)!;
    list.forEach((row, t) =>
      ctx.row(`balance:${site}/${material}:${periodLabel(t)}`, row, r[t], r[t], { kind: 'balance', text: `balance of ${material} at ${site} in period ${t}`, unit: 't' }),
    );
  }
  return { stock, purchases };
}
