import type { UnitConfig, UnitState } from './alarm-config';

export interface UnitTransition {
  readonly unitIndex: number;
  readonly unitId: string;
  readonly from: UnitState | 'unknown';
  readonly to: UnitState;
  /** When the new state took effect (after the rule's delay), ms since the epoch. */
  readonly atMs: number;
  /** True when a running unit stopped without a planned shutdown (threshold rule) or its status tag says tripped. */
  readonly trip: boolean;
}

interface Signal {
  readonly unit: number;
  /** Position among the unit's threshold signals, or -1 for a run-status tag. */
  readonly slot: number;
}

/**
 * Unit states from their rules. A run-status tag maps its value to a state; a thresholds rule says
 * `running` while every signal is at or above its threshold and `tripped` (after running) or
 * `shutdown` (never seen running) once any is below. A new state takes effect after it has held
 * for the rule's delay; the transition time is the start of that hold plus the delay.
 */
export class UnitStateTracker {
  readonly state: (UnitState | 'unknown')[];
  private readonly candidate: (UnitState | undefined)[];
  private readonly candidateSince: Float64Array;
  private readonly delayMs: Float64Array;
  private readonly values: Float64Array[];
  private readonly thresholds: Float64Array[];
  private readonly signalsByTag: Map<string, Signal[]>;

  constructor(readonly units: readonly UnitConfig[]) {
    this.state = units.map(() => 'unknown');
    this.candidate = units.map(() => undefined);
    this.candidateSince = new Float64Array(units.length).fill(Number.NaN);
    this.delayMs = Float64Array.from(units, (u) => u.rule.delayS * 1000);
    this.values = units.map((u) => new Float64Array(u.rule.kind === 'thresholds' ? u.rule.signals.length : 0).fill(Number.NaN));
    this.thresholds = units.map((u) => Float64Array.from(u.rule.kind === 'thresholds' ? u.rule.signals.map((s) => s.minRunning) : []));
    this.signalsByTag = new Map();
    units.forEach((u, unit) => {
      const add = (tagId: string, slot: number) => this.signalsByTag.set(tagId, [...(this.signalsByTag.get(tagId) ?? []), { unit, slot }]);
      if (u.rule.kind === 'runStatus') add(u.rule.tagId, -1);
      else u.rule.signals.forEach((s, slot) => add(s.tagId, slot));
    });
  }

  /** Signals fed by a tag (resolved once, so the sample path does no lookups). */
  signalsOf(tagId: string): readonly Signal[] {
    return this.signalsByTag.get(tagId) ?? [];
  }

  /** Sets a state known from elsewhere (restored at start), without a transition. */
  restore(unitIndex: number, state: UnitState): void {
    this.state[unitIndex] = state;
    this.candidate[unitIndex] = undefined;
    this.candidateSince[unitIndex] = Number.NaN;
  }

  /** A copy of every unit's state and pending change, for `rollback`. */
  snapshot(): { state: (UnitState | 'unknown')[]; candidate: (UnitState | undefined)[]; since: Float64Array; values: Float64Array[] } {
    return { state: [...this.state], candidate: [...this.candidate], since: Float64Array.from(this.candidateSince), values: this.values.map((v) => Float64Array.from(v)) };
  }

  rollback(s: ReturnType<UnitStateTracker['snapshot']>): void {
    s.state.forEach((v, i) => (this.state[i] = v));
    s.candidate.forEach((v, i) => (this.candidate[i] = v));
    this.candidateSince.set(s.since);
    s.values.forEach((v, i) => this.values[i].set(v));
  }

  /** Feeds one good sample of a signal; returns the transition it completes, if any. */
  update(signal: Signal, timeMs: number, value: number, out: UnitTransition[]): void {
    const u = signal.unit;
    this.due(u, timeMs, out);
    const next = this.observed(u, signal.slot, value);
    if (next === undefined) return;
    if (next === this.state[u]) {
      this.candidate[u] = undefined;
      this.candidateSince[u] = Number.NaN;
      return;
    }
    if (this.candidate[u] !== next) {
      this.candidate[u] = next;
      this.candidateSince[u] = timeMs;
    }
    this.due(u, timeMs, out);
  }

  /** Completes the transitions whose delay has passed by `timeMs` (a timer calls this for quiet signals). */
  advanceTo(timeMs: number, out: UnitTransition[]): void {
    for (let u = 0; u < this.units.length; u++) this.due(u, timeMs, out);
  }

  private due(u: number, timeMs: number, out: UnitTransition[]): void {
    const next = this.candidate[u];
    if (next === undefined || !(this.candidateSince[u] + this.delayMs[u] <= timeMs)) return;
    const from = this.state[u];
    const to = next === 'shutdown' && this.units[u].rule.kind === 'thresholds' && (from === 'running' || from === 'startup') ? 'tripped' : next;
    this.state[u] = to;
    this.candidate[u] = undefined;
    const atMs = this.candidateSince[u] + this.delayMs[u];
    this.candidateSince[u] = Number.NaN;
    if (to !== from) out.push({ unitIndex: u, unitId: this.units[u].unitId, from, to, atMs, trip: to === 'tripped' });
  }

  private observed(u: number, slot: number, value: number): UnitState | undefined {
    const rule = this.units[u].rule;
    if (rule.kind === 'runStatus') return Number.isInteger(value) ? rule.states[String(value)] : undefined;
    const values = this.values[u];
    values[slot] = value;
    const min = this.thresholds[u];
    for (let i = 0; i < values.length; i++) {
      if (Number.isNaN(values[i])) return undefined;
      if (values[i] < min[i]) return this.state[u] === 'tripped' ? 'tripped' : 'shutdown';
    }
    return 'running';
  }
}
