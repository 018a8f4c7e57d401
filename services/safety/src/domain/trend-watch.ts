import { describeTimeToLimit, timeToLimit, type TimeToLimit } from '@reflux/process-monitoring';
import type { LimitKind } from './alarm-config';

/** Trend prediction of one tag (times in seconds, values in the tag's unit). */
export interface TrendSettings {
  /** Length of the regression window. */
  readonly windowS: number;
  /** Warn only when the limit is predicted within this time. */
  readonly horizonS: number;
  /** Two-sided confidence of the prediction band (the far edge must reach the limit within the horizon). */
  readonly confidence: number;
  /** At most one evaluation per this many seconds of data. */
  readonly everyS: number;
  /** Evaluations in a row that must agree before a warning is raised or cleared. */
  readonly consecutive: number;
  /** Fewest points in the window for a fit. */
  readonly minPoints: number;
}

export interface ActiveTrendWarning {
  readonly limitKind: LimitKind;
  readonly raisedAtMs: number;
}

/** What survives a restart: the warning in force (the window refills from live samples). */
export interface TrendWatchState {
  readonly active: ActiveTrendWarning | null;
}

export type TrendDecision =
  | { readonly type: 'raise'; readonly limitKind: LimitKind; readonly limit: number; readonly atMs: number; readonly value: number; readonly prediction: TimeToLimit; readonly message: string }
  | { readonly type: 'clear'; readonly limitKind: LimitKind; readonly atMs: number; readonly reason: 'returned-to-normal' | 'limit-reached' };

const HIGH: readonly LimitKind[] = ['H', 'HH'];
const LOW: readonly LimitKind[] = ['L', 'LL'];

/**
 * Watches one tag for a trend that will cross an alarm limit: every `everyS` it fits a robust line
 * over the last `windowS` (Huber, `timeToLimit`) towards the next limit in the direction of the
 * trend (H, else HH, above the latest value when rising; L, else LL, below it when falling) and
 * qualifies it when the prediction band's far edge reaches it within `horizonS` (the slope is then significant at the band's confidence, so a flat noisy signal
 * does not qualify). `consecutive` such evaluations raise a warning for that limit; as many without
 * it clear the warning (`returned-to-normal`; a different limit: cleared, then raised for it), and the value reaching the limit clears it at once
 * (`limit-reached`: the alarm speaks from there; the next limit may then be predicted).
 */
export class TrendWatch {
  private readonly times: number[] = [];
  private readonly values: number[] = [];
  private lastEvalMs = Number.NEGATIVE_INFINITY;
  private agreeing = 0;
  private candidate: LimitKind | null = null;
  private active: ActiveTrendWarning | null;

  constructor(
    readonly tagId: string,
    readonly settings: TrendSettings,
    state?: TrendWatchState,
  ) {
    this.active = state?.active ?? null;
  }

  get state(): TrendWatchState {
    return { active: this.active };
  }

  /** Adds a sample (in time order) and, when an evaluation is due, decides against the limits in force. */
  push(timeMs: number, value: number, limits: Partial<Record<LimitKind, number>>): TrendDecision[] {
    this.times.push(timeMs);
    this.values.push(value);
    const oldest = timeMs - this.settings.windowS * 1000;
    let drop = 0;
    while (drop < this.times.length && this.times[drop]! < oldest) drop++;
    if (drop > 0) {
      this.times.splice(0, drop);
      this.values.splice(0, drop);
    }
    if (this.active && beyond(this.active.limitKind, value, limits[this.active.limitKind])) return this.clear(timeMs, 'limit-reached');
    if (timeMs - this.lastEvalMs < this.settings.everyS * 1000 || this.times.length < this.settings.minPoints || this.times[this.times.length - 1] === this.times[0]) return [];
    this.lastEvalMs = timeMs;
    return this.evaluate(timeMs, value, limits);
  }

  /** Forgets the warning and the agreeing evaluations (the unit left running, or after a clear). */
  reset(): void {
    this.active = null;
    this.agreeing = 0;
    this.candidate = null;
  }

  private evaluate(timeMs: number, value: number, limits: Partial<Record<LimitKind, number>>): TrendDecision[] {
    const best = this.soonest(timeMs, value, limits);
    const kind = best?.kind ?? null;
    if (kind === (this.active?.limitKind ?? null)) {
      this.agreeing = 0;
      this.candidate = null;
      return [];
    }
    this.agreeing = kind === this.candidate ? this.agreeing + 1 : 1;
    this.candidate = kind;
    if (this.agreeing < this.settings.consecutive) return [];
    const out = this.clear(timeMs, 'returned-to-normal');
    if (best === undefined) return out;
    this.active = { limitKind: best.kind, raisedAtMs: timeMs };
    out.push({ type: 'raise', limitKind: best.kind, limit: limits[best.kind]!, atMs: timeMs, value, prediction: best.prediction, message: describeTimeToLimit(this.tagId, best.kind, best.prediction) });
    return out;
  }

  private clear(timeMs: number, reason: 'returned-to-normal' | 'limit-reached'): TrendDecision[] {
    const active = this.active;
    this.reset();
    return active ? [{ type: 'clear', limitKind: active.limitKind, atMs: timeMs, reason }] : [];
  }

  /** The next limit in the direction of the window's least-squares slope, if its prediction qualifies. */
  private soonest(timeMs: number, value: number, limits: Partial<Record<LimitKind, number>>): { kind: LimitKind; prediction: TimeToLimit } | undefined {
    const t0 = this.times[0]!;
    const slope = olsSlope(this.times, this.values);
    const kinds = slope > 0 ? HIGH : slope < 0 ? LOW : [];
    const kind = kinds.find((k) => limits[k] !== undefined && !beyond(k, value, limits[k]));
    if (kind === undefined) return undefined;
    // Cheap screen before the robust fit: a least-squares line that needs more than twice the horizon cannot qualify.
    if (Math.abs(limits[kind]! - value) / Math.abs(slope) > 2 * this.settings.horizonS * 1000) return undefined;
    const points = this.times.map((t, i) => ({ time_s: (t - t0) / 1000, value: this.values[i]! }));
    const p = timeToLimit({ points, limit: limits[kind]!, direction: slope > 0 ? 'above' : 'below', confidence: this.settings.confidence, now_s: (timeMs - t0) / 1000, horizon_s: this.settings.horizonS });
    if (p.status !== 'approaching' || p.estimate_s === null || p.latest_s === null || p.latest_s > this.settings.horizonS) return undefined;
    return { kind, prediction: p };
  }
}

function olsSlope(times: readonly number[], values: readonly number[]): number {
  const n = times.length;
  let tBar = 0;
  let yBar = 0;
  for (let i = 0; i < n; i++) {
    tBar += times[i]!;
    yBar += values[i]!;
  }
  tBar /= n;
  yBar /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (times[i]! - tBar) ** 2;
    sxy += (times[i]! - tBar) * (values[i]! - yBar);
  }
  return sxx > 0 ? sxy / sxx : 0;
}

/** The value is past the limit (above a high one, below a low one), where the alarm condition starts. */
function beyond(kind: LimitKind, value: number, limit: number | undefined): boolean {
  if (limit === undefined) return false;
  return HIGH.includes(kind) ? value > limit : value < limit;
}
