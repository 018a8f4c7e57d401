import type { AlarmConfiguration, UnitState } from './alarm-config';
import { AlarmEngine } from './alarm-engine';
import { computeAlarmKpis, type AlarmActivation, type AlarmKpis } from './alarm-kpis';

export interface ReplaySample {
  readonly tagId: string;
  readonly timeMs: number;
  readonly value: number;
  readonly quality: number;
}

export interface ReplayRun {
  /** Annunciated activations (not suppressed by design in the unit's state at the time). */
  readonly activations: readonly AlarmActivation[];
  readonly trips: readonly { readonly unitId: string; readonly atMs: number }[];
  /** Unit of each alarm id (for incident detection). */
  readonly unitOfAlarm: ReadonlyMap<string, string>;
}

/**
 * Runs samples (time order) through a fresh engine under `config`, as the live service would have
 * evaluated them, up to `endMs` (pending delays complete there); nothing is stored. Alarms
 * suppressed by design in their unit's state are not annunciated (the lifecycle's rule).
 */
export function replayAlarms(config: AlarmConfiguration, samples: readonly ReplaySample[], endMs: number): ReplayRun {
  const engine = new AlarmEngine(config);
  const suppressIn = new Map(config.tags.map((t) => [t.tagId, t.suppressInStates] as const));
  const unitState = new Map<string, UnitState>();
  const open = new Map<string, { raisedAtMs: number; index: number }>();
  const activations: AlarmActivation[] = [];
  const trips: { unitId: string; atMs: number }[] = [];
  const drain = () => {
    for (const u of engine.unitTransitions) {
      unitState.set(u.unitId, u.to);
      if (u.to === 'tripped') trips.push({ unitId: u.unitId, atMs: u.atMs });
    }
    engine.unitTransitions.length = 0;
    const tr = engine.transitions;
    for (let i = 0; i < tr.count; i++) {
      const def = engine.alarms[tr.alarm[i]!]!;
      if (tr.active[i] === 1) {
        const state = def.unitId === undefined ? undefined : unitState.get(def.unitId);
        if (state !== undefined && suppressIn.get(def.tagId)?.includes(state)) continue;
        open.set(def.alarmId, { raisedAtMs: tr.atMs[i]!, index: activations.length });
        activations.push({ alarmId: def.alarmId, area: def.area, console: def.console, priority: def.priority, raisedAtMs: tr.atMs[i]! });
      } else {
        const o = open.get(def.alarmId);
        if (o) activations[o.index] = { ...activations[o.index]!, clearedAtMs: tr.atMs[i]! };
        open.delete(def.alarmId);
      }
    }
    tr.clear();
  };
  for (const s of samples) {
    engine.evaluate(engine.tagIndex(s.tagId), s.timeMs, s.value, s.quality);
    if (engine.transitions.count > 0 || engine.unitTransitions.length > 0) drain();
  }
  engine.advanceTo(endMs);
  drain();
  const unitOfAlarm = new Map<string, string>();
  for (const a of engine.alarms) if (a.unitId !== undefined) unitOfAlarm.set(a.alarmId, a.unitId);
  return { activations, trips, unitOfAlarm };
}

export interface ReplaySummary {
  readonly activations: number;
  readonly floodIntervals: number;
  readonly peakAlarmsPer10Min: number;
  readonly chatteringAlarms: readonly string[];
  readonly staleAlarms: readonly string[];
  readonly consoles: readonly AlarmKpis[];
}

export interface IncidentDetection {
  readonly unitId: string;
  readonly trippedAtMs: number;
  /** Seconds from the first alarm on the unit's tags (within the look-back) to the trip; null: no alarm before it. */
  readonly liveLeadS: number | null;
  readonly candidateLeadS: number | null;
}

export interface ReplayComparison {
  readonly live: ReplaySummary;
  readonly candidate: ReplaySummary;
  /** Live activations minus candidate activations (negative: the candidate raises more). */
  readonly alarmsAvoided: number;
  readonly incidents: readonly IncidentDetection[];
}

function summary(run: ReplayRun, period: { startMs: number; endMs: number }): ReplaySummary {
  const inPeriod = run.activations.filter((a) => a.raisedAtMs >= period.startMs && a.raisedAtMs < period.endMs);
  const consoles = computeAlarmKpis(inPeriod, period, 'console');
  const union = (pick: (k: AlarmKpis) => readonly string[]) => [...new Set(consoles.flatMap(pick))].sort();
  return {
    activations: inPeriod.length,
    floodIntervals: consoles.reduce((n, k) => n + k.floodIntervals, 0),
    peakAlarmsPer10Min: consoles.reduce((n, k) => Math.max(n, k.peakAlarmsPer10Min), 0),
    chatteringAlarms: union((k) => k.chatteringAlarms),
    staleAlarms: union((k) => k.staleAlarms),
    consoles,
  };
}

function leadS(run: ReplayRun, unitId: string, tripMs: number, lookBackMs: number): number | null {
  let first: number | null = null;
  for (const a of run.activations)
    if (run.unitOfAlarm.get(a.alarmId) === unitId && a.raisedAtMs <= tripMs && a.raisedAtMs >= tripMs - lookBackMs && (first === null || a.raisedAtMs < first)) first = a.raisedAtMs;
  return first === null ? null : (tripMs - first) / 1000;
}

/**
 * The KPI difference of a candidate configuration against the live one over the same samples:
 * alarms avoided, floods, chattering and stale alarms, and per incident (a unit trip under the live
 * configuration's unit rules) how long before the trip each configuration first alarmed on that unit.
 */
export function compareReplays(live: ReplayRun, candidate: ReplayRun, period: { startMs: number; endMs: number }, lookBackMs: number): ReplayComparison {
  const l = summary(live, period);
  const c = summary(candidate, period);
  const incidents = live.trips
    .filter((t) => t.atMs >= period.startMs && t.atMs < period.endMs)
    .map((t) => ({ unitId: t.unitId, trippedAtMs: t.atMs, liveLeadS: leadS(live, t.unitId, t.atMs, lookBackMs), candidateLeadS: leadS(candidate, t.unitId, t.atMs, lookBackMs) }));
  return { live: l, candidate: c, alarmsAvoided: l.activations - c.activations, incidents };
}
