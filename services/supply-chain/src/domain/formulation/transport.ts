import { terms } from '@reflux/optimization';
import type { Lane, Material, Site } from '../network.schema';
import { periodLabel, type FormulationContext } from './context';

export interface Shipment {
  readonly lane: number;
  readonly material: string;
  /** Departure period; arrival is departure + the lane's lead time. */
  readonly period: number;
  readonly column: number;
}

export interface TransportVariables {
  readonly shipments: Shipment[];
  /** Shipments by lane index. */
  readonly byLane: Shipment[][];
  /** Material/lane pairs left out because the material's hazard class forbids the lane, with why. */
  readonly forbidden: { readonly lane: string; readonly material: string; readonly reason: string }[];
}

/** Materials a site can send (makes, buys or stores) and receive (consumes or stores). */
export function siteMaterials(site: Site): { sends: Set<string>; receives: Set<string> } {
  const stores = site.inventory.map((x) => x.material);
  return {
    sends: new Set([...site.processes.map((p) => p.output), ...site.purchases.map((x) => x.material), ...stores]),
    receives: new Set([...site.processes.flatMap((p) => p.inputs.map((x) => x.material)), ...stores]),
  };
}

/** Why a material may not travel on a lane, or undefined. */
export function forbiddenReason(material: Material, lane: Lane): string | undefined {
  const h = material.hazard;
  if (!h) return undefined;
  if (h.forbiddenLanes.includes(lane.id)) return `UN class ${h.unClass} ${material.id} is forbidden on lane ${lane.id}`;
  if (h.forbiddenModes.includes(lane.mode)) return `UN class ${h.unClass} ${material.id} may not travel by ${lane.mode}`;
  return undefined;
}

export function laneOpen(lane: Lane, t: number): boolean {
  return !lane.closed.some((w) => t >= w.fromPeriod && t < w.toPeriod);
}

/**
 * Shipments per lane, material and departure period (none on a closed lane, none that would arrive
 * after the horizon, none of a hazardous material on a lane its class forbids), costed per tonne,
 * with CO₂ per tonne-km and risk cost per tonne-km; lane capacity and the hazard cap per period.
 */
export function formulateTransport(ctx: FormulationContext): TransportVariables {
  const { network, T } = ctx;
  const sites = new Map(network.sites.map((s) => [s.id, siteMaterials(s)]));
  const ordered = new Map<string, Set<string>>();
  for (const o of network.orders) (ordered.get(o.customer) ?? ordered.set(o.customer, new Set()).get(o.customer)!).add(o.product);
  const shipments: Shipment[] = [];
  const byLane: Shipment[][] = [];
  const forbidden: TransportVariables['forbidden'] = [];
  network.lanes.forEach((lane, l) => {
    byLane[l] = [];
    const from = sites.get(lane.from)!;
    const receives = sites.get(lane.to)?.receives ?? ordered.get(lane.to) ?? new Set<string>();
    const materials = network.materials.filter((m) => from.sends.has(m.id) && receives.has(m.id));
    for (const m of materials) {
      const reason = forbiddenReason(m, lane);
      if (reason) {
        forbidden.push({ lane: lane.id, material: m.id, reason });
        continue;
      }
      for (let t = 0; t + lane.leadTimePeriods < T; t++) {
        if (!laneOpen(lane, t)) continue;
        const x = ctx.col(`ship:${lane.id}/${m.id}:${periodLabel(t)}`, { upper: m.hazard?.maxTPerLanePerPeriod ?? Infinity });
        ctx.cost(x, lane.costPerT, 'transport');
        ctx.co2(x, lane.co2TPerTKm * lane.distanceKm);
        if (m.hazard) ctx.cost(x, m.hazard.riskCostPerTKm * lane.distanceKm, 'risk');
        const s = { lane: l, material: m.id, period: t, column: x };
        shipments.push(s);
        byLane[l].push(s);
      }
    }
    const perPeriod = new Map<number, Shipment[]>();
    for (const s of byLane[l]) (perPeriod.get(s.period) ?? perPeriod.set(s.period, []).get(s.period)!).push(s);
    for (const [t, list] of perPeriod) {
      const row = terms();
      list.forEach((s) => row.add(s.column, 1));
      ctx.row(`lane:${lane.id}:${periodLabel(t)}`, row, -Infinity, lane.capacityTPerPeriod, { kind: 'lane-capacity', text: `capacity of lane ${lane.id} (${lane.mode}, ${lane.from} → ${lane.to}) departing in period ${t}`, unit: 't' });
    }
  });
  return { shipments, byLane, forbidden };
}
