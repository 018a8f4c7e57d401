import { localDayStart, wallTimeAt } from '@reflux/plant-model';

export const KPI_PERIODS = ['hour', 'day'] as const;
export type KpiPeriod = (typeof KPI_PERIODS)[number];

export interface PeriodWindow {
  readonly startMs: number;
  readonly endMs: number;
}

/** The plant-local hour or day holding an instant (a local day lasts 23 or 25 h on daylight-saving changes). */
export function periodOf(period: KpiPeriod, instantMs: number, zone: string): PeriodWindow {
  if (period === 'day') {
    const startMs = localDayStart(instantMs, zone);
    return { startMs, endMs: localDayStart(startMs + 30 * 3_600_000, zone) };
  }
  const w = wallTimeAt(instantMs, zone);
  const startMs = instantMs - (w.minute * 60_000 + w.second * 1000 + w.millisecond);
  return { startMs, endMs: startMs + 3_600_000 };
}

/**
 * The periods that ended after `afterMs` and by `untilMs`, oldest first, at most `max` (the most
 * recent ones when more are due, so a long outage does not flood the bus).
 */
export function completedPeriods(period: KpiPeriod, afterMs: number, untilMs: number, zone: string, max: number): PeriodWindow[] {
  const out: PeriodWindow[] = [];
  let w = periodOf(period, afterMs, zone);
  if (w.startMs < afterMs) w = periodOf(period, w.endMs, zone);
  while (w.endMs <= untilMs) {
    out.push(w);
    w = periodOf(period, w.endMs, zone);
  }
  return out.slice(-max);
}
