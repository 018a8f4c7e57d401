import type { refluxSupplyChainV1 as v1 } from '@reflux/proto';
import type { Allocation, OrderPromise } from '../../domain/allocation';
import type { BindingLimit } from '../../domain/explanation';
import type { Network, OrderInput } from '../../domain/network.schema';
import type { FieldViolation } from '../../domain/supply-chain.errors';
import type { OrderRow } from '../postgres/supply-read-model.queries';

export function timestampOf(iso: string | Date): { seconds: string; nanos: number } {
  const ms = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}

const FIELD_NAMES: Record<string, string> = { id: 'order_id', customer: 'customer_id', product: 'product_id' };

/** Domain field paths (`order.quantityT`) in the request's proto names (`order.quantity_t`). */
export function protoField(field: string): string {
  return field
    .split('.')
    .map((part) => FIELD_NAMES[part] ?? part.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))
    .join('.');
}

export function protoViolations(violations: readonly FieldViolation[]): FieldViolation[] {
  return violations.map((v) => ({ field: protoField(v.field), description: v.description }));
}

export function orderFromProto(o: v1.Order): OrderInput {
  return {
    id: o.orderId,
    customer: o.customerId,
    product: o.productId,
    quantityT: o.quantityT,
    duePeriod: o.duePeriod,
    priority: o.priority === 0 ? 1 : o.priority,
    latenessPenaltyPerTPerPeriod: o.latenessPenaltyPerTPerPeriod,
    shortfallPenaltyPerT: o.shortfallPenaltyPerT,
  };
}

export function orderViewOf(r: OrderRow): v1.OrderView {
  return {
    order: { orderId: r.order_id, customerId: r.customer_id, productId: r.product_id, quantityT: r.quantity_t, duePeriod: r.due_period, priority: r.priority, latenessPenaltyPerTPerPeriod: r.lateness_penalty_per_t_per_period, shortfallPenaltyPerT: r.shortfall_penalty_per_t },
    status: (r.status === 'cancelled' ? 'ORDER_STATUS_CANCELLED' : 'ORDER_STATUS_OPEN') as v1.OrderStatus,
    promisedPeriod: r.promised_period ?? -1,
    latePeriods: r.late_periods ?? 0,
    shortfallT: r.shortfall_t ?? 0,
    allocationId: r.allocation_id ?? '',
  };
}

export function promiseOf(o: OrderPromise): v1.OrderPromise {
  return { orderId: o.orderId, promisedPeriod: o.promisedPeriod ?? -1, latePeriods: o.latePeriods, shortfallT: o.shortfallT, deliveredT: o.deliveredT };
}

export function costsOf(costs: Allocation['costs']): v1.CostItem[] {
  return Object.entries(costs).map(([category, amount]) => ({ category, amount }));
}

export function allocationOf(network: Network, x: { allocationId: string; trigger: string; at: string | Date; frozenPeriods: number; published: boolean; allocation: Allocation }): v1.Allocation {
  const a = x.allocation;
  return {
    allocationId: x.allocationId,
    trigger: x.trigger,
    published: x.published,
    proposedAt: timestampOf(x.at),
    objective: a.objective,
    currency: network.currency,
    gapPercent: a.gapPercent,
    co2T: a.co2T,
    costs: costsOf(a.costs),
    production: a.production.map((p) => ({ siteId: p.site, processId: p.process, materialId: p.material, period: p.period, quantityT: p.quantityT, modulesOn: p.modulesOn })),
    shipments: a.shipments.map((s) => ({ laneId: s.lane, materialId: s.material, departurePeriod: s.period, arrivalPeriod: s.arrivalPeriod, quantityT: s.quantityT })),
    orders: a.orders.map(promiseOf),
    utilisation: a.utilisation.map((u) => ({ siteId: u.site, period: u.period, madeT: u.madeT, capacityT: u.capacityT, modulesOn: u.modulesOn, modulesAvailable: u.modulesAvailable })),
    horizonStart: network.horizon.start ? timestampOf(network.horizon.start) : null,
    periodHours: network.horizon.periodHours,
    frozenPeriods: x.frozenPeriods,
  };
}

export function bindingOf(b: BindingLimit): v1.BindingLimit {
  return { constraint: b.constraint, kind: b.kind, text: b.text, shadowPricePerUnit: b.shadowPricePerUnit, unit: b.unit, activity: b.activity, bound: b.bound, ...(b.valueOfOneMoreModule !== undefined && { valueOfOneMoreModule: b.valueOfOneMoreModule }) };
}
