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
  /** A machine that trips twice a day for 20 minutes. */
  readonly trippingMachine: string;
}

export const DEMO_TARGETS: Readonly<Record<string, DemoTargets>> = {
  // P-1001: the crude charge pump (a seal leak), between two measured lines into units whose own
  // balances are redundant, so a loss there has a signature no single meter bias has. (A leak in a
  // unit merged with its neighbours by an unmeasured stream, or next to a unit whose balance is
  // not redundant, looks exactly like a meter bias; one in a large tank hides in the level's
  // uncertainty over an hour: 5 mm on 5,000 m² is ±8 kg/s.)
  // FI-1043: crude between the preheat exchangers, 540 t/h on a 0-1000 t/h meter: 4 % of span = 7 %.
  'demo-petrochemical-site': { leakUnit: 'P-1001', leakFraction: 0.08, biasedTag: 'FI-1043', biasPercentOfSpan: 4, foulingExchanger: 'E-1001', trippingMachine: 'K-2001' },
  // FI-7005: crude steel from the converter, 108 t/h on a 0-800 t/h meter: 1.5 % of span = 11 %.
  'demo-steelworks': { leakUnit: 'MX-8001', leakFraction: 0.08, biasedTag: 'FI-7005', biasPercentOfSpan: 1.5, foulingExchanger: 'CD-9001', trippingMachine: 'BL-6001' },
};

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
    }
    incidents.push({ kind: 'fouling', target: targets.foulingExchanger, startS: 0, durationS: 24 * HOUR_S, dutyLossPerHour: 0.01, maxDutyLoss: 0.3 });
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
