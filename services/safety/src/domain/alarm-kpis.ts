import { PRIORITIES, type AlarmPriority } from './alarm-config';

/** One annunciated activation of an alarm (an `AlarmRaised`) and when it cleared, if it did. */
export interface AlarmActivation {
  readonly alarmId: string;
  readonly area: string;
  readonly console: string;
  readonly priority: AlarmPriority;
  readonly raisedAtMs: number;
  readonly clearedAtMs?: number;
}

/**
 * ISA-18.2 (table 5, "approximately manageable") and EEMUA 191 targets, per operator (console).
 * Averages at or below target are acceptable; floods are periods of 10 min with more than 10 alarms.
 */
export const KPI_TARGETS = {
  alarmsPer10Min: 1,
  alarmsPerHour: 6,
  alarmsPerDay: 150,
  peakAlarmsPer10Min: 10,
  floodTimeShare: 0.01,
  topTenShare: 0.05,
  chatteringAlarms: 0,
  staleAlarms: 5,
  priorityShare: { low: 0.8, medium: 0.15, high: 0.05 } as Readonly<Record<AlarmPriority, number>>,
} as const;

export const FLOOD_WINDOW_MS = 600_000;
export const FLOOD_THRESHOLD = 10;
export const CHATTER_WINDOW_MS = 60_000;
export const CHATTER_ACTIVATIONS = 3;
export const STALE_AFTER_MS = 24 * 3_600_000;

export interface BadActor {
  readonly alarmId: string;
  readonly activations: number;
  /** Share of all activations of the group. */
  readonly share: number;
}

export interface AlarmKpis {
  /** Area or console name. */
  readonly key: string;
  readonly activations: number;
  readonly alarmsPer10Min: number;
  readonly alarmsPerHour: number;
  readonly alarmsPerDay: number;
  /** Most activations in one 10-min interval (intervals aligned to the period start). */
  readonly peakAlarmsPer10Min: number;
  /** 10-min intervals with more than 10 activations, their total duration and share of the period. */
  readonly floodIntervals: number;
  readonly floodTimeS: number;
  readonly floodTimeShare: number;
  /** Alarms with 3 or more activations within 60 s. */
  readonly chatteringAlarms: readonly string[];
  /** Alarms raised more than 24 h before the period end and not cleared by then. */
  readonly staleAlarms: readonly string[];
  readonly topBadActors: readonly BadActor[];
  readonly topTenShare: number;
  readonly priorityShare: Readonly<Record<AlarmPriority, number>>;
}

/** KPIs of each area or console over `[startMs, endMs)` from the activations raised in it. */
export function computeAlarmKpis(history: readonly AlarmActivation[], period: { startMs: number; endMs: number }, by: 'area' | 'console'): AlarmKpis[] {
  const groups = new Map<string, AlarmActivation[]>();
  for (const a of history) {
    const key = by === 'area' ? a.area : a.console;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(a);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, list]) => kpisOf(key, list, period));
}

function kpisOf(key: string, all: readonly AlarmActivation[], { startMs, endMs }: { startMs: number; endMs: number }): AlarmKpis {
  const inPeriod = all.filter((a) => a.raisedAtMs >= startMs && a.raisedAtMs < endMs);
  const n = inPeriod.length;
  const durationMs = endMs - startMs;
  const intervals = Math.ceil(durationMs / FLOOD_WINDOW_MS);
  const perInterval = new Array<number>(intervals).fill(0);
  for (const a of inPeriod) perInterval[Math.floor((a.raisedAtMs - startMs) / FLOOD_WINDOW_MS)]++;
  const floodIntervals = perInterval.filter((c) => c > FLOOD_THRESHOLD).length;
  const floodTimeS = perInterval.reduce((sum, c, i) => sum + (c > FLOOD_THRESHOLD ? Math.min(FLOOD_WINDOW_MS, durationMs - i * FLOOD_WINDOW_MS) / 1000 : 0), 0);

  const byAlarm = new Map<string, number[]>();
  for (const a of inPeriod) {
    if (!byAlarm.has(a.alarmId)) byAlarm.set(a.alarmId, []);
    byAlarm.get(a.alarmId)!.push(a.raisedAtMs);
  }
  const chattering: string[] = [];
  for (const [alarmId, times] of byAlarm) {
    times.sort((x, y) => x - y);
    for (let i = 0; i + CHATTER_ACTIVATIONS - 1 < times.length; i++)
      if (times[i + CHATTER_ACTIVATIONS - 1] - times[i] <= CHATTER_WINDOW_MS) {
        chattering.push(alarmId);
        break;
      }
  }
  const stale = [...new Set(all.filter((a) => a.raisedAtMs < endMs - STALE_AFTER_MS && (a.clearedAtMs === undefined || a.clearedAtMs >= endMs)).map((a) => a.alarmId))];
  const ranked = [...byAlarm.entries()].map(([alarmId, t]) => ({ alarmId, activations: t.length })).sort((a, b) => b.activations - a.activations || a.alarmId.localeCompare(b.alarmId));
  const top = ranked.slice(0, 10).map((r) => ({ ...r, share: r.activations / n }));
  const priorityShare = Object.fromEntries(PRIORITIES.map((p) => [p, n === 0 ? 0 : inPeriod.filter((a) => a.priority === p).length / n])) as Record<AlarmPriority, number>;
  return {
    key,
    activations: n,
    alarmsPer10Min: (n * FLOOD_WINDOW_MS) / durationMs,
    alarmsPerHour: (n * 3_600_000) / durationMs,
    alarmsPerDay: (n * 86_400_000) / durationMs,
    peakAlarmsPer10Min: Math.max(0, ...perInterval),
    floodIntervals,
    floodTimeS,
    floodTimeShare: (floodTimeS * 1000) / durationMs,
    chatteringAlarms: chattering.sort(),
    staleAlarms: stale.sort(),
    topBadActors: top,
    topTenShare: n === 0 ? 0 : top.reduce((s, r) => s + r.activations, 0) / n,
    priorityShare,
  };
}
