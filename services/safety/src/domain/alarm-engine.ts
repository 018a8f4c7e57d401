import type { AlarmConfiguration, AlarmKind, UnitState } from './alarm-config';
import { compileLayout, type AlarmDefinition, type EngineLayout } from './alarm-engine.layout';
import { UnitStateTracker, type UnitTransition } from './unit-state.tracker';

/** OPC UA StatusCode severity Bad: the two top bits are 10. */
export const isBadQuality = (quality: number): boolean => quality >>> 30 === 2;

/** Condition changes found by the engine, in arrays reused between batches (read `count` entries, then `clear`). */
export class TransitionBuffer {
  count = 0;
  alarm = new Int32Array(64);
  active = new Uint8Array(64);
  atMs = new Float64Array(64);
  value = new Float64Array(64);
  limit = new Float64Array(64);

  push(alarm: number, active: boolean, atMs: number, value: number, limit: number): void {
    if (this.count === this.alarm.length) this.grow();
    const i = this.count++;
    this.alarm[i] = alarm;
    this.active[i] = active ? 1 : 0;
    this.atMs[i] = atMs;
    this.value[i] = value;
    this.limit[i] = limit;
  }

  clear(): void {
    this.count = 0;
  }

  private grow(): void {
    const n = this.alarm.length * 2;
    const grown = <T extends Int32Array | Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.alarm = grown(this.alarm, (k) => new Int32Array(k));
    this.active = grown(this.active, (k) => new Uint8Array(k));
    this.atMs = grown(this.atMs, (k) => new Float64Array(k));
    this.value = grown(this.value, (k) => new Float64Array(k));
    this.limit = grown(this.limit, (k) => new Float64Array(k));
  }
}

/** Everything the engine remembers about one tag, for persistence across restarts. */
export interface TagEngineState {
  readonly lastTimeMs: number;
  readonly lastValue: number;
  readonly lastBad: boolean;
  /** Per alarm kind of the tag: [active 0/1, onSince ms or null, offSince ms or null]. */
  readonly conditions: Readonly<Partial<Record<AlarmKind, readonly [number, number | null, number | null]>>>;
}

/** What `evaluate` did with a sample. Late: at or before the tag's newest evaluated sample, ignored so nothing is raised or cleared twice. */
export interface EngineCheckpoint {
  readonly tags: ReadonlyMap<number, TagEngineState>;
  readonly units: ReturnType<UnitStateTracker['snapshot']>;
  readonly evaluated: number;
  readonly late: number;
}

export const SampleOutcome = { Evaluated: 0, Late: 1, Untracked: 2 } as const;
export type SampleOutcome = (typeof SampleOutcome)[keyof typeof SampleOutcome];

/**
 * Evaluates samples against the compiled alarm configuration. All per-tag and per-condition state
 * lives in typed arrays allocated once; evaluating a sample allocates nothing. Samples of a tag are
 * evaluated in time order; one at or before the tag's newest evaluated sample is late and ignored.
 * A condition is raised once it has held for its on-delay and cleared once its return (beyond the
 * deadband) has held for its off-delay; the transition time is the exact instant the delay ends,
 * values held between samples.
 */
export class AlarmEngine {
  readonly layout: EngineLayout;
  readonly units: UnitStateTracker;
  readonly transitions = new TransitionBuffer();
  readonly unitTransitions: UnitTransition[] = [];
  evaluated = 0;
  late = 0;

  private readonly lastTimeMs: Float64Array;
  private readonly lastValue: Float64Array;
  private readonly lastBad: Uint8Array;
  private readonly active: Uint8Array;
  private readonly onSince: Float64Array;
  private readonly offSince: Float64Array;
  /** Effective limit of each condition under its unit's current state. */
  private readonly limit: Float64Array;
  private readonly signals: (readonly { unit: number; slot: number }[])[];

  constructor(config: AlarmConfiguration) {
    const l = (this.layout = compileLayout(config));
    const tags = l.tagIds.length;
    const n = l.alarms.length;
    this.lastTimeMs = new Float64Array(tags).fill(Number.NEGATIVE_INFINITY);
    this.lastValue = new Float64Array(tags).fill(Number.NaN);
    this.lastBad = new Uint8Array(tags);
    this.active = new Uint8Array(n);
    this.onSince = new Float64Array(n).fill(Number.NaN);
    this.offSince = new Float64Array(n).fill(Number.NaN);
    this.limit = Float64Array.from(l.baseLimit);
    this.units = new UnitStateTracker(config.units);
    this.signals = l.tagIds.map((id) => this.units.signalsOf(id));
  }

  get alarms(): readonly AlarmDefinition[] {
    return this.layout.alarms;
  }

  tagIndex(tagId: string): number {
    return this.layout.tagIndex.get(tagId) ?? -1;
  }

  /** Evaluates one sample of tag index `t`; condition changes go to `transitions`, unit changes to `unitTransitions`. */
  evaluate(t: number, timeMs: number, value: number, quality: number): SampleOutcome {
    if (t < 0) return SampleOutcome.Untracked;
    if (!(timeMs > this.lastTimeMs[t])) {
      this.late++;
      return SampleOutcome.Late;
    }
    this.evaluated++;
    const bad = isBadQuality(quality);
    const l = this.layout;
    const held = this.lastValue[t];
    const previousTime = this.lastTimeMs[t];
    for (let c = l.condStart[t], end = l.condStart[t + 1]; c < end; c++) {
      this.fireDue(c, timeMs, held);
      const kind = l.kind[c];
      if (kind === 6) this.apply(c, bad, timeMs, value);
      else if (!bad) this.apply(c, this.raw(c, kind, value, timeMs, held, previousTime), timeMs, value);
    }
    this.lastTimeMs[t] = timeMs;
    this.lastBad[t] = bad ? 1 : 0;
    if (!bad) {
      this.lastValue[t] = value;
      const signals = this.signals[t];
      if (signals.length > 0) {
        const before = this.unitTransitions.length;
        for (let i = 0; i < signals.length; i++) this.units.update(signals[i], timeMs, value, this.unitTransitions);
        for (let i = before; i < this.unitTransitions.length; i++) this.applyUnitState(this.unitTransitions[i].unitIndex, this.unitTransitions[i].to);
      }
    }
    return SampleOutcome.Evaluated;
  }

  /**
   * Completes every delay that has run out by `timeMs` on values held since the last sample (a timer
   * calls this with a time up to which all samples are in); the tag then counts as evaluated up to
   * the transition, so an older sample arriving later is late.
   */
  advanceTo(timeMs: number): void {
    const l = this.layout;
    for (let t = 0; t < l.tagIds.length; t++) {
      for (let c = l.condStart[t], end = l.condStart[t + 1]; c < end; c++) {
        const at = this.fireDue(c, timeMs, this.lastValue[t]);
        if (at > this.lastTimeMs[t]) this.lastTimeMs[t] = at;
      }
    }
    const before = this.unitTransitions.length;
    this.units.advanceTo(timeMs, this.unitTransitions);
    for (let i = before; i < this.unitTransitions.length; i++) this.applyUnitState(this.unitTransitions[i].unitIndex, this.unitTransitions[i].to);
  }

  /** Limits of the unit's tags follow its state (state-based alarming); suppression is the lifecycle's job. */
  applyUnitState(unitIndex: number, state: UnitState | 'unknown'): void {
    const l = this.layout;
    for (let c = 0; c < l.alarms.length; c++) {
      if (l.unitOfCond[c] !== unitIndex) continue;
      const byState = l.limitByState.get(c);
      const override = state === 'unknown' ? undefined : byState?.[state];
      this.limit[c] = override ?? l.baseLimit[c];
    }
  }

  isActive(alarmIndex: number): boolean {
    return this.active[alarmIndex] === 1;
  }

  effectiveLimit(alarmIndex: number): number {
    return this.limit[alarmIndex];
  }

  exportTag(t: number): TagEngineState {
    const l = this.layout;
    const conditions: Partial<Record<AlarmKind, [number, number | null, number | null]>> = {};
    for (let c = l.condStart[t]; c < l.condStart[t + 1]; c++)
      conditions[l.alarms[c].kind] = [this.active[c], Number.isNaN(this.onSince[c]) ? null : this.onSince[c], Number.isNaN(this.offSince[c]) ? null : this.offSince[c]];
    return { lastTimeMs: this.lastTimeMs[t], lastValue: this.lastValue[t], lastBad: this.lastBad[t] === 1, conditions };
  }

  /** Restores a tag's state saved by `exportTag`, also under another configuration version (alarms new to the tag start normal). */
  importTag(t: number, s: TagEngineState): void {
    const l = this.layout;
    this.lastTimeMs[t] = s.lastTimeMs;
    this.lastValue[t] = s.lastValue;
    this.lastBad[t] = s.lastBad ? 1 : 0;
    for (let c = l.condStart[t]; c < l.condStart[t + 1]; c++) {
      const saved = s.conditions[l.alarms[c].kind];
      if (!saved) continue;
      const [active, on, off] = saved;
      this.active[c] = active;
      this.onSince[c] = on ?? Number.NaN;
      this.offSince[c] = off ?? Number.NaN;
    }
  }

  /** Saves the state of these tags and of the units, for `rollback` when what followed was not committed. */
  checkpoint(tags: Iterable<number>): EngineCheckpoint {
    const saved = new Map<number, TagEngineState>();
    for (const t of tags) saved.set(t, this.exportTag(t));
    return { tags: saved, units: this.units.snapshot(), evaluated: this.evaluated, late: this.late };
  }

  rollback(checkpoint: EngineCheckpoint): void {
    for (const [t, s] of checkpoint.tags) this.importTag(t, s);
    this.units.rollback(checkpoint.units);
    this.units.state.forEach((state, u) => this.applyUnitState(u, state));
    this.evaluated = checkpoint.evaluated;
    this.late = checkpoint.late;
    this.transitions.clear();
    this.unitTransitions.length = 0;
  }

  /** Raw condition with hysteresis: an active high alarm stays active above limit − deadband. */
  private raw(c: number, kind: number, v: number, timeMs: number, held: number, previousTime: number): boolean {
    const l = this.layout;
    const limit = this.limit[c];
    const band = this.active[c] === 1 ? l.deadband[c] : 0;
    switch (kind) {
      case 0:
      case 1:
        return v > limit - band;
      case 2:
      case 3:
        return v < limit + band;
      case 4: {
        if (Number.isNaN(held) || !Number.isFinite(previousTime)) return false;
        return Math.abs(v - held) / ((timeMs - previousTime) / 1000) > limit;
      }
      case 5: {
        const other = l.otherTag[c];
        const sp = other >= 0 ? this.lastValue[other] : l.setpoint[c];
        return !Number.isNaN(sp) && Math.abs(v - sp) > limit - band;
      }
      case 7: {
        const o = this.lastValue[l.otherTag[c]];
        return !Number.isNaN(o) && Math.abs(v - o) > limit - band;
      }
      default:
        return false;
    }
  }

  /** Completes a pending raise or clear whose delay ends by `timeMs`; returns its time, or -Infinity. */
  private fireDue(c: number, timeMs: number, held: number): number {
    if (this.active[c] === 0) {
      const due = this.onSince[c] + this.layout.onDelayMs[c];
      if (due <= timeMs) {
        this.active[c] = 1;
        this.onSince[c] = Number.NaN;
        this.transitions.push(c, true, due, held, this.limit[c]);
        return due;
      }
    } else {
      const due = this.offSince[c] + this.layout.offDelayMs[c];
      if (due <= timeMs) {
        this.active[c] = 0;
        this.offSince[c] = Number.NaN;
        this.transitions.push(c, false, due, held, this.limit[c]);
        return due;
      }
    }
    return Number.NEGATIVE_INFINITY;
  }

  private apply(c: number, raw: boolean, timeMs: number, value: number): void {
    if (this.active[c] === 0) {
      if (!raw) {
        this.onSince[c] = Number.NaN;
        return;
      }
      if (Number.isNaN(this.onSince[c])) this.onSince[c] = timeMs;
      if (this.onSince[c] + this.layout.onDelayMs[c] <= timeMs) {
        this.active[c] = 1;
        this.onSince[c] = Number.NaN;
        this.transitions.push(c, true, timeMs, value, this.limit[c]);
      }
    } else {
      if (raw) {
        this.offSince[c] = Number.NaN;
        return;
      }
      if (Number.isNaN(this.offSince[c])) this.offSince[c] = timeMs;
      if (this.offSince[c] + this.layout.offDelayMs[c] <= timeMs) {
        this.active[c] = 0;
        this.offSince[c] = Number.NaN;
        this.transitions.push(c, false, timeMs, value, this.limit[c]);
      }
    }
  }
}
