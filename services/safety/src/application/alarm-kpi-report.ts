import { integrationEvents, type IntegrationEvent } from '@reflux/contracts';
import { deterministicUuid } from '@reflux/decider';
import { computeAlarmKpis, type AlarmKpis } from '../domain/alarm-kpis';
import { completedPeriods, periodOf, type KpiPeriod, type PeriodWindow } from '../domain/kpi-periods';
import type { AlarmActivations } from './alarm-activations.port';
import type { EarlyWarningStateStore } from './early-warning-state.port';

const STATE_KEY = 'kpi-report';
/** Most periods of one kind reported in one tick after an outage (the most recent ones). */
const MAX_CATCH_UP = 48;

export interface AlarmKpiReporterDeps {
  readonly activations: AlarmActivations;
  /** State and outbox in one transaction (the last reported period end per plant and period). */
  readonly state: EarlyWarningStateStore;
  readonly source: string;
  readonly periods: readonly KpiPeriod[];
  /** A period is reported this long after it ends, so late samples and the journal projection have caught up. */
  readonly delayMs: number;
}

const groupOf = (k: AlarmKpis) => ({
  key: k.key,
  activations: k.activations,
  alarmsPer10Min: k.alarmsPer10Min,
  alarmsPerHour: k.alarmsPerHour,
  alarmsPerDay: k.alarmsPerDay,
  peakAlarmsPer10Min: k.peakAlarmsPer10Min,
  floodIntervals: k.floodIntervals,
  floodTimeS: k.floodTimeS,
  floodTimeShare: k.floodTimeShare,
  chatteringAlarms: [...k.chatteringAlarms],
  staleAlarms: [...k.staleAlarms],
  topBadActors: k.topBadActors.map((b) => ({ alarmId: b.alarmId, activations: b.activations, share: b.share })),
  topTenShare: k.topTenShare,
  priorityShare: { ...k.priorityShare },
});

/**
 * Periodic `AlarmKpiReport` per plant: for each configured period (hour, plant-local day) that
 * completed at least `delayMs` ago and was not reported yet, the KPIs per console and per area from
 * the journal's activations (the same computation as GetAlarmKpis), published through the outbox
 * with the period's end as the new mark. The first run starts from the current period.
 */
export class AlarmKpiReporter {
  private readonly marks = new Map<string, Map<string, number>>();

  constructor(private readonly deps: AlarmKpiReporterDeps) {}

  /** Publishes the reports due at `nowMs`; returns how many. */
  async tick(plantId: string, timeZone: string, nowMs: number): Promise<number> {
    const marks = await this.marksOf(plantId);
    let published = 0;
    for (const period of this.deps.periods) {
      const last = marks.get(period) ?? periodOf(period, nowMs, timeZone).startMs;
      for (const w of completedPeriods(period, last, nowMs - this.deps.delayMs, timeZone, MAX_CATCH_UP)) {
        const event = await this.report(plantId, timeZone, period, w);
        await this.deps.state.commit(plantId, STATE_KEY, [[period, { lastEndMs: w.endMs }]], [event]);
        marks.set(period, w.endMs);
        published++;
      }
      if (!marks.has(period)) {
        marks.set(period, last);
        await this.deps.state.commit(plantId, STATE_KEY, [[period, { lastEndMs: last }]], []);
      }
    }
    return published;
  }

  private async report(plantId: string, timeZone: string, period: KpiPeriod, w: PeriodWindow): Promise<IntegrationEvent> {
    const history = await this.deps.activations.activations(plantId, new Date(w.startMs), new Date(w.endMs));
    const range = { startMs: w.startMs, endMs: w.endMs };
    const windowStart = new Date(w.startMs).toISOString();
    return integrationEvents.envelope(
      'AlarmKpiReport',
      {
        plantId,
        period,
        timeZone,
        windowStart,
        windowEnd: new Date(w.endMs).toISOString(),
        consoles: computeAlarmKpis(history, range, 'console').map(groupOf),
        areas: computeAlarmKpis(history, range, 'area').map(groupOf),
      },
      { source: this.deps.source, subject: `kpi-report-${plantId}`, eventId: deterministicUuid(`kpi-report:${plantId}:${period}:${windowStart}`), occurredAt: new Date(w.endMs) },
    );
  }

  private async marksOf(plantId: string): Promise<Map<string, number>> {
    let marks = this.marks.get(plantId);
    if (!marks) {
      const stored = await this.deps.state.load(plantId, STATE_KEY);
      marks = new Map([...stored].map(([period, s]) => [period, (s as { lastEndMs: number }).lastEndMs]));
      this.marks.set(plantId, marks);
    }
    return marks;
  }
}
