import { carriesMass, type PlantGraph, type Stream } from '@reflux/plant-model';
import { productionRate } from './production-rate';
import type { Incident, Scenario } from './scenario.schema';
import { slowWave } from './slow-wave';

/** The true (unmeasured) state of the plant at one instant, SI units. */
export interface ProcessState {
  readonly timeS: number;
  readonly rate: number;
  /** kg/s of every mass-carrying stream. */
  readonly massFlowKgPerS: ReadonlyMap<string, number>;
  /** W of every power-only stream. */
  readonly powerW: ReadonlyMap<string, number>;
  readonly temperatureK: ReadonlyMap<string, number>;
  readonly pressurePa: ReadonlyMap<string, number>;
  readonly specificEnthalpyJPerKg: ReadonlyMap<string, number>;
  /** Mass lost to nowhere by a leaking tank or holder, kg/s. */
  readonly inventoryLossKgPerS: ReadonlyMap<string, number>;
}

const active = (incident: Incident, timeS: number) => timeS >= incident.startS && timeS < incident.startS + incident.durationS;

/**
 * Computes the true state from the nominal steady state: every flow scaled by the production rate
 * (so every balance still closes), slow drifts of temperatures and pressures, and the physical
 * incidents (trip, leak, fouling). Flow changes travel downstream: a unit whose inflow changes
 * passes the change on to its outlets of the same medium (or kind), until a tank, a holder or the
 * plant boundary absorbs it.
 */
export const processStateAt = (graph: PlantGraph, scenario: Scenario, timeS: number): ProcessState => {
  const rate = productionRate(scenario, timeS);
  const mass = new Map<string, number>();
  const power = new Map<string, number>();
  const temperature = new Map<string, number>();
  const pressure = new Map<string, number>();
  const enthalpy = new Map<string, number>();
  const inventoryLoss = new Map<string, number>();
  const { seed, drift } = scenario;

  for (const stream of graph.streams()) {
    const n = stream.nominal;
    if (carriesMass(stream)) mass.set(stream.id, (n.massFlowKgPerS ?? 0) * rate);
    else power.set(stream.id, (n.powerW ?? 0) * rate);
    if (n.temperatureK !== undefined) temperature.set(stream.id, n.temperatureK + drift.temperatureK * slowWave(seed, `${stream.id}:T`, timeS));
    if (n.pressurePa !== undefined) pressure.set(stream.id, n.pressurePa * (1 + drift.pressureFraction * slowWave(seed, `${stream.id}:P`, timeS)));
    if (n.specificEnthalpyJPerKg !== undefined) enthalpy.set(stream.id, n.specificEnthalpyJPerKg);
  }

  const propagate = makePropagation(graph, mass);
  const incidents = scenario.incidents.filter((incident) => active(incident, timeS));
  for (const incident of incidents) {
    if (incident.kind !== 'trip') continue;
    const changes: [Stream, number][] = [];
    for (const stream of [...graph.streamsIn(incident.target), ...graph.streamsOut(incident.target)]) {
      if (!carriesMass(stream)) {
        power.set(stream.id, power.get(stream.id)! * incident.residualFraction);
        continue;
      }
      const before = mass.get(stream.id)!;
      mass.set(stream.id, before * incident.residualFraction);
      if (stream.from === incident.target) changes.push([stream, before * incident.residualFraction - before]);
    }
    for (const [stream, delta] of changes) propagate(stream, delta);
  }
  for (const incident of incidents) {
    if (incident.kind !== 'leak') continue;
    const unit = graph.unit(incident.target);
    const inflow = graph.streamsIn(unit.id).filter(carriesMass).reduce((sum, s) => sum + mass.get(s.id)!, 0);
    const leak = incident.fraction * inflow;
    if (unit.inventory) {
      inventoryLoss.set(unit.id, (inventoryLoss.get(unit.id) ?? 0) + leak);
      continue;
    }
    const outlets = graph.streamsOut(unit.id).filter(carriesMass);
    const outflow = outlets.reduce((sum, s) => sum + mass.get(s.id)!, 0);
    if (outflow <= 0) continue;
    for (const outlet of outlets) {
      const delta = -leak * (mass.get(outlet.id)! / outflow);
      mass.set(outlet.id, mass.get(outlet.id)! + delta);
      propagate(outlet, delta);
    }
  }
  for (const incident of incidents) {
    if (incident.kind !== 'fouling') continue;
    const loss = Math.min(incident.maxDutyLoss, (incident.dutyLossPerHour * (timeS - incident.startS)) / 3600);
    const inlets = graph.streamsIn(incident.target);
    for (const outlet of graph.streamsOut(incident.target)) {
      const inlet = inlets.find((s) => s.medium === outlet.medium && temperature.has(s.id));
      if (!inlet || !temperature.has(outlet.id)) continue;
      const tOut = temperature.get(outlet.id)!;
      temperature.set(outlet.id, tOut + (temperature.get(inlet.id)! - tOut) * loss);
      if (enthalpy.has(outlet.id) && enthalpy.has(inlet.id)) {
        const hOut = enthalpy.get(outlet.id)!;
        enthalpy.set(outlet.id, hOut + (enthalpy.get(inlet.id)! - hOut) * loss);
      }
    }
  }
  return {
    timeS,
    rate,
    massFlowKgPerS: mass,
    powerW: power,
    temperatureK: temperature,
    pressurePa: pressure,
    specificEnthalpyJPerKg: enthalpy,
    inventoryLossKgPerS: inventoryLoss,
  };
};

/**
 * Passes a flow change on through the unit the stream enters, and from there on downstream: a unit
 * without inventory hands a change of inflow to its outlets of the same medium (else of the same
 * stream kind, else to all its outlets: stripping steam leaves with the products) in proportion to
 * their flows, until a tank, a holder or the plant boundary absorbs
 * it. Every unit passes on exactly what it receives, so each one still balances.
 *
 * Changes wait at the unit they enter (one pending amount per unit and routing class) and are
 * passed on breadth-first, so a unit reached along many paths forwards their sum once per round
 * instead of once per path (a depth-first walk grows exponentially with the fan-out and had to be
 * cut off, leaving units unbalanced). Through a recycle the pending amount shrinks by the loop's
 * share each round; it is passed on until it is below 1e-14 of the plant's largest flow. A loop that
 * returns everything it receives (nothing leaves it) has no steady state: after 1,000 rounds the rest
 * is dropped.
 */
const makePropagation = (graph: PlantGraph, mass: Map<string, number>) => {
  const largest = Math.max(1, ...mass.values());
  const tolerance = 1e-14 * largest;
  return (stream: Stream, delta: number): void => {
    // key: unit, medium and kind of the incoming change (they decide where it goes)
    let pending = new Map<string, { unitId: string; medium: string; kind: string; delta: number }>();
    const enter = (s: Stream, d: number) => {
      if (s.to === null || d === 0 || graph.unit(s.to).inventory) return;
      const key = `${s.to}\u0000${s.medium}\u0000${s.kind}`;
      const entry = pending.get(key);
      if (entry) entry.delta += d;
      else pending.set(key, { unitId: s.to, medium: s.medium, kind: s.kind, delta: d });
    };
    enter(stream, delta);
    for (let round = 0; round < 1000 && pending.size > 0; round++) {
      const current = pending;
      pending = new Map();
      for (const { unitId, medium, kind, delta: d } of current.values()) {
        if (Math.abs(d) <= tolerance) continue;
        const outlets = graph.streamsOut(unitId).filter(carriesMass);
        let candidates = outlets.filter((s) => s.medium === medium);
        if (candidates.length === 0) candidates = outlets.filter((s) => s.kind === kind);
        if (candidates.length === 0) candidates = outlets;
        const total = candidates.reduce((sum, s) => sum + mass.get(s.id)!, 0);
        if (total <= 0) continue;
        for (const outlet of candidates) {
          const before = mass.get(outlet.id)!;
          const after = Math.max(0, before + d * (before / total));
          mass.set(outlet.id, after);
          enter(outlet, after - before);
        }
      }
    }
  };
};
