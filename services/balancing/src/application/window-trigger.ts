import type { Logger } from 'pino';
import { dueWindows, windowsCompletedBy, type BalanceWindow } from '../domain/balance-window';
import { BalancingErrorCode } from '../domain/balancing.errors';
import type { BalanceReconciler } from './balance-reconciler';
import type { PlantModelRegistry } from './plant-model.registry';

export interface WindowTriggerSettings {
  /** Window length, s (BALANCE_WINDOW_S). */
  readonly windowS: number;
  /** How long after a window's end the schedule waits for late data, s. */
  readonly settleS: number;
  /** Complete windows the schedule looks back over (missed while the service was down). */
  readonly lookbackWindows: number;
}

/**
 * Decides which windows to reconcile: on schedule (the last settled windows of every plant) and
 * when ingested measurements reach past a window's end. Reconciling is idempotent per plant-model
 * version, so overlapping triggers cost one stream read each. Windows run one at a time per
 * process, which bounds the load on ingestion and the database.
 */
export class WindowTrigger {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly reconciler: BalanceReconciler,
    private readonly models: PlantModelRegistry,
    private readonly settings: WindowTriggerSettings,
    private readonly logger: Logger,
  ) {}

  /** Reconciles the due windows of every plant (the scheduler's tick). */
  onSchedule(now: Date): Promise<void> {
    const windows = dueWindows(now, this.settings.windowS, this.settings.settleS, this.settings.lookbackWindows);
    return this.enqueue(this.models.plantIds().flatMap((plantId) => windows.map((window) => ({ plantId, window }))), 'schedule');
  }

  /** Reconciles the windows a batch of measurements completed; batches of unknown plants are ignored. */
  onMeasurementsIngested(event: { plantId: string; timeRange: { start: string; end: string } }, correlationId?: string): Promise<void> {
    if (!this.models.has(event.plantId)) return Promise.resolve();
    const windows = windowsCompletedBy(new Date(event.timeRange.start), new Date(event.timeRange.end), this.settings.windowS);
    return this.enqueue(windows.map((window) => ({ plantId: event.plantId, window })), 'measurements-ingested', correlationId);
  }

  /** Resolves once every window queued so far has been handled. */
  idle(): Promise<void> {
    return this.queue;
  }

  private enqueue(items: { plantId: string; window: BalanceWindow }[], trigger: string, correlationId?: string): Promise<void> {
    const run = async () => {
      for (const { plantId, window } of items) {
        try {
          await this.reconciler.reconcileWindow({ plantId, window, trigger, correlationId });
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
