import { z } from 'zod';
import { networkSchema, orderSchema, type Network, type Order } from './network.schema';
import { invalid, SupplyChainErrorCode, type FieldViolation } from './supply-chain.errors';

function path(segments: readonly PropertyKey[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i === 0 ? '' : '.'}${String(s)}`)).join('') || '(document)';
}

function unique(ids: readonly string[], field: string, out: FieldViolation[]): Set<string> {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) out.push({ field: `${field}[${i}].id`, description: `duplicate id ${id}` });
    seen.add(id);
  });
  return seen;
}

/** Problems with an order against the network it is placed in (product, customer, due period). */
export function orderViolations(n: Network, o: Order, field: string): FieldViolation[] {
  const v: FieldViolation[] = [];
  const m = n.materials.find((x) => x.id === o.product);
  if (!m) v.push({ field: `${field}.product`, description: `unknown material ${o.product}` });
  else if (m.kind === 'raw') v.push({ field: `${field}.product`, description: `${o.product} is a raw material, not something sold` });
  if (!n.customers.some((c) => c.id === o.customer)) v.push({ field: `${field}.customer`, description: `unknown customer ${o.customer}` });
  if (o.duePeriod >= n.horizon.periods) v.push({ field: `${field}.duePeriod`, description: `period ${o.duePeriod} lies beyond the horizon of ${n.horizon.periods} periods` });
  return v;
}

function profileLength(p: unknown, T: number, field: string, v: FieldViolation[]): void {
  if (Array.isArray(p) && p.length !== T) v.push({ field, description: `needs one value or ${T} (one per period), got ${p.length}` });
}

/** Cross-references the schema cannot see: ids exist and are unique, periods lie in the horizon. */
function crossReferenceViolations(n: Network): FieldViolation[] {
  const v: FieldViolation[] = [];
  const T = n.horizon.periods;
  const materials = unique(n.materials.map((m) => m.id), 'materials', v);
  const sites = unique(n.sites.map((s) => s.id), 'sites', v);
  const customers = unique(n.customers.map((c) => c.id), 'customers', v);
  const lanes = unique(n.lanes.map((l) => l.id), 'lanes', v);
  unique(n.orders.map((o) => o.id), 'orders', v);
  for (const c of customers) if (sites.has(c)) v.push({ field: 'customers', description: `id ${c} is also a site id` });
  const material = (m: string, field: string): void => void (materials.has(m) || v.push({ field, description: `unknown material ${m}` }));
  n.materials.forEach((m, i) => m.hazard?.forbiddenLanes.forEach((l, k) => lanes.has(l) || v.push({ field: `materials[${i}].hazard.forbiddenLanes[${k}]`, description: `unknown lane ${l}` })));
  n.sites.forEach((s, i) => {
    const f = `sites[${i}]`;
    unique(s.processes.map((p) => p.id), `${f}.processes`, v);
    unique(s.energy.map((e) => e.id), `${f}.energy`, v);
    s.processes.forEach((p, k) => {
      material(p.output, `${f}.processes[${k}].output`);
      p.inputs.forEach((x, j) => material(x.material, `${f}.processes[${k}].inputs[${j}].material`));
      if (p.modules.initiallyOn > p.modules.installed) v.push({ field: `${f}.processes[${k}].modules.initiallyOn`, description: `exceeds installed ${p.modules.installed}` });
      for (const carrier of ['electricity', 'steam', 'hydrogen'] as const)
        if (p.energyMWhPerT[carrier] > 0 && !s.energy.some((e) => e.carrier === carrier)) v.push({ field: `${f}.processes[${k}].energyMWhPerT.${carrier}`, description: `site ${s.id} has no ${carrier} supply` });
    });
    s.energy.forEach((e, k) => {
      profileLength(e.pricePerMWh, T, `${f}.energy[${k}].pricePerMWh`, v);
      profileLength(e.co2TPerMWh, T, `${f}.energy[${k}].co2TPerMWh`, v);
      profileLength(e.maxMWhPerPeriod, T, `${f}.energy[${k}].maxMWhPerPeriod`, v);
    });
    s.inventory.forEach((x, k) => {
      material(x.material, `${f}.inventory[${k}].material`);
      if (x.minT > x.maxT) v.push({ field: `${f}.inventory[${k}].minT`, description: `exceeds maxT ${x.maxT}` });
      if (x.initialT > x.maxT) v.push({ field: `${f}.inventory[${k}].initialT`, description: `exceeds maxT ${x.maxT}` });
    });
    s.purchases.forEach((x, k) => {
      material(x.material, `${f}.purchases[${k}].material`);
      profileLength(x.maxTPerPeriod, T, `${f}.purchases[${k}].maxTPerPeriod`, v);
    });
  });
  n.lanes.forEach((l, i) => {
    if (!sites.has(l.from)) v.push({ field: `lanes[${i}].from`, description: `unknown site ${l.from} (lanes leave sites)` });
    if (!sites.has(l.to) && !customers.has(l.to)) v.push({ field: `lanes[${i}].to`, description: `unknown site or customer ${l.to}` });
    if (l.from === l.to) v.push({ field: `lanes[${i}].to`, description: 'a lane must join two places' });
    l.closed.forEach((w, k) => w.toPeriod <= w.fromPeriod && v.push({ field: `lanes[${i}].closed[${k}].toPeriod`, description: 'must exceed fromPeriod' }));
  });
  n.orders.forEach((o, i) => v.push(...orderViolations(n, o, `orders[${i}]`)));
  n.inTransit.forEach((x, i) => {
    const lane = n.lanes.find((l) => l.id === x.lane);
    if (!lane) v.push({ field: `inTransit[${i}].lane`, description: `unknown lane ${x.lane}` });
    material(x.material, `inTransit[${i}].material`);
    if (x.arrivalPeriod >= T) v.push({ field: `inTransit[${i}].arrivalPeriod`, description: `lies beyond the horizon of ${T} periods` });
  });
  n.capacityChanges.forEach((c, i) => {
    const site = n.sites.find((s) => s.id === c.site);
    if (!site) v.push({ field: `capacityChanges[${i}].site`, description: `unknown site ${c.site}` });
    else if (c.process && !site.processes.some((p) => p.id === c.process)) v.push({ field: `capacityChanges[${i}].process`, description: `site ${c.site} has no process ${c.process}` });
    if (c.toPeriod <= c.fromPeriod) v.push({ field: `capacityChanges[${i}].toPeriod`, description: 'must exceed fromPeriod' });
  });
  return v;
}

/** Parses and validates a network document; every problem is reported with its field path. */
export function parseNetwork(input: unknown): Network {
  const parsed = networkSchema.safeParse(input);
  if (!parsed.success) throw invalid(SupplyChainErrorCode.invalidNetwork, 'network', parsed.error.issues.map((i) => ({ field: path(i.path), description: i.message })));
  const violations = crossReferenceViolations(parsed.data);
  if (violations.length > 0) throw invalid(SupplyChainErrorCode.invalidNetwork, 'network', violations);
  return parsed.data;
}

/** Parses one order and checks it against the network. */
export function parseOrder(input: unknown, network: Network): Order {
  const parsed = orderSchema.safeParse(input);
  if (!parsed.success) throw invalid(SupplyChainErrorCode.invalidOrder, 'order', parsed.error.issues.map((i) => ({ field: path(['order', ...i.path]), description: i.message })));
  const violations = orderViolations(network, parsed.data, 'order');
  if (violations.length > 0) throw invalid(SupplyChainErrorCode.invalidOrder, 'order', violations);
  return parsed.data;
}

/** The network document's JSON schema (input form: defaults may be left out). */
export function networkJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(networkSchema, { io: 'input' }) as Record<string, unknown>;
}
