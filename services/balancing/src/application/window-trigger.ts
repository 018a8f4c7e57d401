import type { Logger } from 'pino';
import { dueWindows, windowsTouchedBy, type BalanceWindow } from '../domain/balance-window';
import { BalancingErrorCode } from '../domain/balancing.errors';
import type { BalanceReconciler } from './balance-reconciler';
import type { PlantModelRegistry } from './plant-model.registry';

export interface WindowTriggerSettings {
  /** Window length, s (BALANCE_WINDOW_S). */
  readonly windowS: number;
  /** How long after a window's end it is first reconciled (data may arrive late), s: by the schedule and by ingestion alike. */
  readonly settleS: number;
  /** Complete windows the schedule looks back over (missed while the service was down). */
  readonly lookbackWindows: number;
}

/**
 * Decides which windows to reconcile: on schedule (the last settled windows of every plant, once
 * per plant-model version) and when ingested measurements fall into a settled window — a window
 * whose end lies `settleS` in the past: reconciled if it was not yet, otherwise reconciled again
 * and revised when the late data changed its result. Data for a window that has not settled
 * waits for the schedule. Windows run one at a time per process, which bounds the load on
 * ingestion and the database; a window already waiting in the queue is not queued twice, so a
 * burst of late batches costs one revision.
 */
export class WindowTrigger {
  private queue: Promise<void> = Promise.resolve();
  private readonly waiting = new Set<string>();

  constructor(
    private readonly reconciler: BalanceReconciler,
    private readonly models: PlantModelRegistry,
    private readonly settings: WindowTriggerSettings,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Reconciles the due windows of every plant (the scheduler's tick). */
  onSchedule(now: Date): Promise<void> {
    const windows = dueWindows(now, this.settings.windowS, this.settings.settleS, this.settings.lookbackWindows);
    return this.enqueue(this.models.plantIds().flatMap((plantId) => windows.map((window) => ({ plantId, window }))), 'schedule');
  }

  /**
   * Reconciles (or revises) the settled windows a batch of measurements fell into; batches of
   * unknown plants are ignored.
   */
  onMeasurementsIngested(event: { plantId: string; timeRange: { start: string; end: string } }, correlationId?: string): Promise<void> {
    if (!this.models.has(event.plantId)) return Promise.resolve();
    const settledBy = this.now().getTime() - this.settings.settleS * 1000;
    const windows = windowsTouchedBy(new Date(event.timeRange.start), new Date(event.timeRange.end), this.settings.windowS).filter((w) => w.end.getTime() <= settledBy);
    return this.enqueue(windows.map((window) => ({ plantId: event.plantId, window })), 'measurements-ingested', correlationId);
  }

  /** Resolves once every window queued so far has been handled. */
  idle(): Promise<void> {
    return this.queue;
  }

  private enqueue(items: { plantId: string; window: BalanceWindow }[], trigger: string, correlationId?: string): Promise<void> {
    const revise = trigger === 'measurements-ingested';
    const keyOf = (plantId: string, window: BalanceWindow) => `${revise}:${plantId}:${window.start.toISOString()}:${window.end.toISOString()}`;
    const fresh = items.filter(({ plantId, window }) => !this.waiting.has(keyOf(plantId, window)));
    for (const { plantId, window } of fresh) this.waiting.add(keyOf(plantId, window));
    const run = async () => {
      for (const { plantId, window } of fresh) {
        this.waiting.delete(keyOf(plantId, window));
        try {
          await this.reconciler.reconcileWindow({ plantId, window, trigger, correlationId, revise });
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          const entry = { plantId, window: { start: window.start.toISOString(), end: window.end.toISOString() }, trigger, code, err: error };
          if (code === BalancingErrorCode.noMeasurements) this.logger.debug(entry, 'window has no usable measurements; skipped');
          else this.logger.warn(entry, 'window reconciliation failed');
          if ((error as { retriable?: unknown }).retriable === true && trigger === 'measurements-ingested') throw error;
        }
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
