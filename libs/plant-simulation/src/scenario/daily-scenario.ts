import type { PlantGraph } from '@reflux/plant-model';
import { parseScenario, type Scenario } from '../domain';

const HOUR_S = 3600;
const DAY_MS = 86_400_000;

/** Incident targets of the shipped demo plants, chosen so that each kind is visible. */
export interface DemoTargets {
  /** A unit that leaks part of its throughput (LossSuspected). */
  readonly leakUnit: string;
  /** Fraction of the unit's throughput lost while the leak is on. */
  readonly leakFraction: number;
  /**
   * A flow transmitter on a main, redundantly measured line that reads high (GrossErrorSuspected);
   * a meter on a small stream beside large ones would be below what any balance can detect.
   */
  readonly biasedTag: string;
  readonly biasPercentOfSpan: number;
  /** A heat exchanger that fouls over the day. */
  readonly foulingExchanger: string;
  /**
   * How it fouls: over the whole day (slowly), or within each four-hour cycle, fast enough that an
   * outlet temperature reaches its alarm limit within hours, and cleaned before the cycle's trip.
   */
  readonly fouling: 'daily' | 'cyclic';
  /** A machine that trips for 20 minutes in hour 3 of every four-hour cycle. */
  readonly trippingMachine: string;
}

export const DEMO_TARGETS: Readonly<Record<string, DemoTargets>> = {
  // PV-4001: the HP/MP letdown station (a gland and flange steam leak, 8 % ≈ 1.4 kg/s), between
  // meters into headers whose balances are redundant: no single meter bias looks like it (the
  // closest, its boiler-feedwater meter, explains 72 % of its statistic), so it is reported as a
  // loss in every leak window. Not P-1001 (the crude charge pump): a loss there differs from a bias
  // of the crude tank's outlet meter FI-1001 only through the tank's balance, whose accumulation
  // from two level readings is ±8 kg/s (5 mm on 5,000 m²), so one leak window in four or five was
  // reported as FI-1001 reading 8 % high. A leak in a unit merged with its neighbours by an
  // unmeasured stream, or next to units whose balances are not redundant, is equivalent to a meter
  // bias and is reported with it (see `equivalentIds`).
  // FI-1043: crude between the preheat exchangers, 540 t/h on a 0-1000 t/h meter: 4 % of span = 7 %.
  'demo-petrochemical-site': { leakUnit: 'PV-4001', leakFraction: 0.08, biasedTag: 'FI-1043', biasPercentOfSpan: 4, foulingExchanger: 'E-1001', fouling: 'daily', trippingMachine: 'K-2001' },
  // MX-8001: the gas mixing station. Its consumers (stoves, coke ovens, boilers) burn the gas with
  // unmeasured flue gas, so their balances are not redundant and a loss at the station is
  // equivalent to a bias of any of its four outlet meters: balancing reports the loss (one unit
  // against four meters) with those biases as equivalents. Its balance is ±6.3 kg/s (the BFG meter
  // alone ±5.4 kg/s), so 8 % (19 kg/s) was found in only about two windows of three; 15 % (35 kg/s)
  // always is.
  // FI-7005: crude steel from the converter, 108 t/h on a 0-800 t/h meter (±8 t/h): 3 % of span =
  // 24 t/h, 22 % high — 1.5 % (11 %) is below what the balances around the converter and the ladle
  // furnace can detect.
  // TG-9001: the turbo-generator. The blast-furnace blower (BL-6001) tripped before: every trip cut
  // the blast-furnace gas for 20 minutes and emptied the BFG holder, whose level cannot go below
  // zero while the simulator keeps its outflow, so later windows showed a gain nothing measured.
  // CD-9001: the surface condenser. Its cooling-water return (TI-9037, 33 °C from 24 °C) moved by
  // 0.09 K per hour at 1 %/h, so a day's fouling stayed inside its limits; it now fouls fast within
  // each cycle (see `CYCLIC_FOULING`) and is cleaned before the trip.
  'demo-steelworks': { leakUnit: 'MX-8001', leakFraction: 0.15, biasedTag: 'FI-7005', biasPercentOfSpan: 3, foulingExchanger: 'CD-9001', fouling: 'cyclic', trippingMachine: 'TG-9001' },
};

/**
 * Cyclic fouling: from 00:30 to 03:00 of each four-hour cycle the exchanger loses 40 % of its duty
 * per hour (at most 90 %), then it is cleaned (back to full duty, before the trip at 03:20). The
 * outlet crosses a limit set around the clean exchanger within about two hours, and the alarm clears
 * at the cleaning.
 */
export const CYCLIC_FOULING = { startS: 1800, durationS: 9000, dutyLossPerHour: 0.4, maxDutyLoss: 0.9 } as const;

/** UTC midnight of the day that contains `timeMs`. */
export function dayStartMs(timeMs: number): number {
  return Math.floor(timeMs / DAY_MS) * DAY_MS;
}

/**
 * The demo's scenario for one UTC day. Incidents recur on a four-hour cycle so that every hourly
 * window shows one kind of gross error: a leak (8 % of the unit's throughput) in hours 0 and 3 of
 * each cycle, a flow transmitter reading high in hours 1–2, a compressor trip for 20 minutes in
 * hour 3, and exchanger fouling building up over the day. Rate changes and drifts come from the seed. The
 * same day and seed always give the same data, so restarting the simulator rewrites nothing new.
 */
export function dailyDemoScenario(graph: PlantGraph, dayStart: number, seed: number): Scenario {
  const targets = DEMO_TARGETS[graph.model.plantId];
  const incidents: unknown[] = [];
  if (targets) {
    for (let cycle = 0; cycle < 6; cycle++) {
      const base = cycle * 4 * HOUR_S;
      // One kind of gross error per hourly window: two at once next to each other can be explained
      // as well by two wrong meters, and serial elimination cannot tell which pair is true.
      for (const hour of [0, 3]) {
        incidents.push({ kind: 'leak', target: targets.leakUnit, startS: base + hour * HOUR_S, durationS: HOUR_S, fraction: targets.leakFraction });
      }
      incidents.push(
        { kind: 'transmitterFailure', target: targets.biasedTag, startS: base + HOUR_S, durationS: 2 * HOUR_S, biasPercentOfSpan: targets.biasPercentOfSpan },
        { kind: 'trip', target: targets.trippingMachine, startS: base + 3 * HOUR_S + 1200, durationS: 1200, residualFraction: 0.02 },
      );
      if (targets.fouling === 'cyclic') incidents.push({ kind: 'fouling', target: targets.foulingExchanger, ...CYCLIC_FOULING, startS: base + CYCLIC_FOULING.startS });
    }
    if (targets.fouling === 'daily') incidents.push({ kind: 'fouling', target: targets.foulingExchanger, startS: 0, durationS: 24 * HOUR_S, dutyLossPerHour: 0.01, maxDutyLoss: 0.3 });
  }
  return parseScenario(
    {
      seed: (seed + Math.floor(dayStart / DAY_MS)) >>> 0,
      epoch: new Date(dayStart).toISOString(),
      initialRate: 1,
      rateChanges: [
        { atS: 6 * HOUR_S, rate: 0.9, rampS: 1800 },
        { atS: 14 * HOUR_S, rate: 1.05, rampS: 1800 },
        { atS: 22 * HOUR_S, rate: 1, rampS: 1800 },
      ],
      incidents,
    },
    graph,
  );
}
