import type { PlantGraph } from '@reflux/plant-model';
import { parseScenario, type Scenario } from '../domain';

const HOUR_S = 3600;
const DAY_MS = 86_400_000;

/** Incident targets of the shipped demo plants, chosen so that each kind is visible. */
export interface DemoTargets {
  /** A unit that leaks part of its throughput (LossSuspected). */
  readonly leakUnit: string;
  /** A flow transmitter that reads high (GrossErrorSuspected). */
  readonly biasedTag: string;
  /** A heat exchanger that fouls over the day. */
  readonly foulingExchanger: string;
  /** A machine that trips twice a day for 20 minutes. */
  readonly trippingMachine: string;
}

export const DEMO_TARGETS: Readonly<Record<string, DemoTargets>> = {
  'demo-petrochemical-site': { leakUnit: 'C-1001', biasedTag: 'FI-2005', foulingExchanger: 'E-1001', trippingMachine: 'K-2001' },
  'demo-steelworks': { leakUnit: 'MX-8001', biasedTag: 'FI-7004', foulingExchanger: 'CD-9001', trippingMachine: 'BL-6001' },
};

/** UTC midnight of the day that contains `timeMs`. */
export function dayStartMs(timeMs: number): number {
  return Math.floor(timeMs / DAY_MS) * DAY_MS;
}

/**
 * The demo's scenario for one UTC day. Incidents recur on a four-hour cycle so that any hourly
 * window of the recent past shows at least one of them: a 3 % leak in hours 0–1 of each cycle, a
 * transmitter reading 4 % of span high in hours 1–3, a compressor trip at hour 3 for 20 minutes,
 * and exchanger fouling building up over the day. Rate changes and drifts come from the seed. The
 * same day and seed always give the same data, so restarting the simulator rewrites nothing new.
 */
export function dailyDemoScenario(graph: PlantGraph, dayStart: number, seed: number): Scenario {
  const targets = DEMO_TARGETS[graph.model.plantId];
  const incidents: unknown[] = [];
  if (targets) {
    for (let cycle = 0; cycle < 6; cycle++) {
      const base = cycle * 4 * HOUR_S;
      incidents.push(
        { kind: 'leak', target: targets.leakUnit, startS: base, durationS: 2 * HOUR_S, fraction: 0.03 },
        { kind: 'transmitterFailure', target: targets.biasedTag, startS: base + HOUR_S, durationS: 3 * HOUR_S, biasPercentOfSpan: 4 },
        { kind: 'trip', target: targets.trippingMachine, startS: base + 3 * HOUR_S, durationS: 1200, residualFraction: 0.02 },
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
