import type { ComponentHealth } from '@reflux/observability';
import { describeError } from '../dead-letter';

/** The part of `ComponentHealth` (@reflux/observability) a bus component reports to. */
export type HealthReporter = Pick<ComponentHealth, 'report' | 'remove'>;

export interface MonitorSettings {
  /** Where consumers and relays report their state; without it they only log and count. */
  readonly health?: HealthReporter;
  /** How long one event may be held (retried) before the component reports `failed`. Default 5 min. */
  readonly stuckAfterMs?: number;
  /** Consecutive events dead-lettered because their handler failed for good before `failed`. Default 5. */
  readonly failAfterDeadLetters?: number;
}

export const DEFAULT_STUCK_AFTER_MS = 300_000;
export const DEFAULT_FAIL_AFTER_DEAD_LETTERS = 5;

/**
 * The health state machine of one consumer or relay: `starting` until attached, `running` while
 * events flow, `degraded` while it holds an event it is retrying (a database or broker outage, a
 * schema version it cannot read yet), `failed` when it has held one event longer than
 * `stuckAfterMs`, dead-lettered `failAfterDeadLetters` events in a row, or crashed. The next event
 * handled brings it back to `running`. A component its owner stopped is removed from health.
 */
export class ComponentMonitor {
  private holdingSince?: number;
  private consecutiveDeadLetters = 0;
  private readonly stuckAfterMs: number;
  private readonly failAfterDeadLetters: number;

  constructor(
    readonly name: string,
    private readonly kind: string,
    private readonly settings: MonitorSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.stuckAfterMs = settings.stuckAfterMs ?? DEFAULT_STUCK_AFTER_MS;
    this.failAfterDeadLetters = settings.failAfterDeadLetters ?? DEFAULT_FAIL_AFTER_DEAD_LETTERS;
    this.report('starting');
  }

  running(): void {
    this.report('running');
  }

  /** An event is held: the try failed retriably and another follows after `delayMs`. */
  retrying(error: unknown, attempt: number, what: string): void {
    this.holdingSince ??= this.now();
    const heldMs = this.now() - this.holdingSince;
    const { code, message } = describeError(error);
    const detail = `holding ${what} for ${Math.round(heldMs / 1000)} s (${attempt} tries): ${code} ${message}`.slice(0, 500);
    this.report(heldMs >= this.stuckAfterMs ? 'failed' : 'degraded', detail);
  }

  /** An event was handled (or published): whatever was held is through. */
  progressed(): void {
    this.holdingSince = undefined;
    this.consecutiveDeadLetters = 0;
    this.report('running');
  }

  /** An event was dead-lettered; `handlerFailed`: because its handler failed for good. */
  deadLettered(handlerFailed: boolean, what: string): void {
    this.holdingSince = undefined;
    if (!handlerFailed) return this.report('running');
    this.consecutiveDeadLetters++;
    if (this.consecutiveDeadLetters >= this.failAfterDeadLetters) {
      this.report('failed', `the last ${this.consecutiveDeadLetters} events were dead-lettered because their handler failed (last: ${what})`);
    } else this.report('running');
  }

  crashed(error: unknown, restarting: boolean): void {
    const { code, message } = describeError(error);
    this.report(restarting ? 'degraded' : 'failed', `${restarting ? 'crashed, restarting' : 'crashed'}: ${code} ${message}`.slice(0, 500));
  }

  /** Stopped by its owner: no longer counts. */
  stopped(): void {
    this.settings.health?.remove(this.name);
  }

  private report(state: Parameters<HealthReporter['report']>[2], detail?: string): void {
    this.settings.health?.report(this.name, this.kind, state, detail);
  }
}
