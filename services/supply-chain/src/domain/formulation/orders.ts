import { terms, type TermList } from '@reflux/optimization';
import { periodLabel, type FormulationContext } from './context';
import { inTransitArrivals } from './materials';
import type { TransportVariables } from './transport';

export interface OrderVariables {
  /** Tonnes delivered by order index and period. */
  readonly deliver: number[][];
  /** Tonnes still owed at the end of period t ≥ due, by order index (index 0 = the due period); the last is the shortfall. */
  readonly late: number[][];
}

/**
 * What arrives at a customer in a period is handed to that customer's orders for the product
 * (early is allowed); from the due period on, what is still owed costs the lateness penalty per
 * tonne and period, and what is owed at the end of the horizon the shortfall penalty, both times
 * the order's priority.
 */
export function formulateOrders(ctx: FormulationContext, transport: TransportVariables): OrderVariables {
  const { network, T } = ctx;
  const deliver: number[][] = [];
  const late: number[][] = [];
  const arrivals = new Map<string, TermList>();
  const arrivalsOf = (customer: string, product: string, t: number): TermList => {
    const key = `${customer}|${product}|${t}`;
    return arrivals.get(key) ?? arrivals.set(key, terms()).get(key)!;
  };
  network.orders.forEach((o, i) => {
    deliver[i] = [];
    late[i] = [];
    for (let t = 0; t < T; t++) {
      const x = ctx.col(`deliver:${o.id}:${periodLabel(t)}`);
      deliver[i][t] = x;
      arrivalsOf(o.customer, o.product, t).add(x, -1);
    }
    const owed = terms();
    for (let t = 0; t <= o.duePeriod; t++) owed.add(deliver[i][t], 1);
    for (let t = o.duePeriod; t < T; t++) {
      const x = ctx.col(`owed:${o.id}:${periodLabel(t)}`);
      ctx.cost(x, o.latenessPenaltyPerTPerPeriod * o.priority, 'lateness');
      if (t === T - 1) ctx.cost(x, o.shortfallPenaltyPerT * o.priority, 'shortfall');
      late[i].push(x);
      if (t === o.duePeriod) ctx.row(`order:${o.id}`, owed.add(x, 1), o.quantityT, o.quantityT, { kind: 'order', text: `order ${o.id} (${o.quantityT} t of ${o.product} for ${o.customer} due in period ${o.duePeriod})`, unit: 't' });
      else ctx.row(`owed:${o.id}:${periodLabel(t)}`, terms().add(x, 1).add(late[i][late[i].length - 2], -1).add(deliver[i][t], 1), 0, 0);
    }
  });
  const customers = new Set(network.customers.map((c) => c.id));
  for (const sh of transport.shipments) {
    const lane = network.lanes[sh.lane];
    if (customers.has(lane.to)) arrivalsOf(lane.to, sh.material, sh.period + lane.leadTimePeriods).add(sh.column, 1);
  }
  const transit = inTransitArrivals(ctx);
  for (const [key, row] of arrivals) {
    const [customer, product, t] = key.split('|');
    const q = transit.get(key) ?? 0;
    ctx.row(`deliver:${customer}/${product}:${periodLabel(Number(t))}`, row, -q, -q);
  }
  return { deliver, late };
}
