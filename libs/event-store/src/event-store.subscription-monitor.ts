import type { ComponentHealth } from '@reflux/observability';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { RecordedEvent } from './event-store.port';

/** What a subscription reports to; `ComponentHealth` from @reflux/observability fits. */
export type SubscriptionHealth = Pick<ComponentHealth, 'report' | 'remove'>;

export interface SubscriptionMonitoring {
  /** Each subscription reports `starting`, `running`, `degraded` (retrying) or `failed` (stuck) under its subscription id. */
  readonly health?: SubscriptionHealth;
  /** Prometheus registry for the per-subscription gauges and counters. */
  readonly metrics?: Registry;
  /**
   * Consecutive failures of one batch, other than lost connections, after which the subscription
   * reports `failed` (a poison event: it keeps retrying, but will not get past it by itself). Default 5.
   */
  readonly failedAfterFailures?: number;
}

const KIND = 'subscription';

interface Instruments {
  readonly positionLag: Gauge<'subscription'>;
  readonly lagSeconds: Gauge<'subscription'>;
  readonly lastHandled: Gauge<'subscription'>;
  readonly failures: Counter<'subscription'>;
}

function instruments(registry: Registry): Instruments {
  const gauge = (name: string, help: string): Gauge<'subscription'> =>
    (registry.getSingleMetric(name) as Gauge<'subscription'> | undefined) ?? new Gauge({ name, help, labelNames: ['subscription'], registers: [registry] });
  return {
    positionLag: gauge(
      'reflux_subscription_position_lag',
      'Global positions between the head of the event log and the last event the subscription read; 0 when caught up. An upper bound of its backlog in events (positions have gaps; a filtered subscription counts events it skips).',
    ),
    lagSeconds: gauge('reflux_subscription_lag_seconds', 'Age of the last event handled while the subscription is behind; 0 when caught up'),
    lastHandled: gauge('reflux_subscription_last_handled_timestamp_seconds', 'Unix time at which the subscription last committed a batch of events'),
    failures: (registry.getSingleMetric('reflux_subscription_batch_failures_total') as Counter<'subscription'> | undefined) ??
      new Counter({ name: 'reflux_subscription_batch_failures_total', help: 'Batches rolled back because the handler or the database failed', labelNames: ['subscription'], registers: [registry] }),
  };
}

/** Health and metrics of one subscription. */
export class SubscriptionMonitor {
  private readonly instruments?: Instruments;
  private readonly labels: { subscription: string };
  private readonly failedAfter: number;

  constructor(
    private readonly subscriptionId: string,
    private readonly monitoring: SubscriptionMonitoring = {},
  ) {
    this.labels = { subscription: subscriptionId };
    this.instruments = monitoring.metrics ? instruments(monitoring.metrics) : undefined;
    this.failedAfter = monitoring.failedAfterFailures ?? 5;
    monitoring.health?.report(subscriptionId, KIND, 'starting');
  }

  /** A batch committed. `caughtUp`: nothing more was below the horizon. */
  batchCommitted(events: readonly RecordedEvent[], lastReadPosition: number, headPosition: number, caughtUp: boolean): void {
    this.monitoring.health?.report(this.subscriptionId, KIND, 'running');
    if (!this.instruments) return;
    const now = Date.now();
    this.instruments.positionLag.set(this.labels, caughtUp ? 0 : Math.max(0, headPosition - lastReadPosition));
    const last = events[events.length - 1];
    this.instruments.lagSeconds.set(this.labels, caughtUp || !last ? 0 : Math.max(0, (now - last.recordedAt.getTime()) / 1000));
    if (events.length > 0) this.instruments.lastHandled.set(this.labels, now / 1000);
  }

  /** A batch rolled back; `failures` counts consecutive failures. */
  batchFailed(error: unknown, failures: number, retryInMs: number, connectionLost: boolean, firstEvent: RecordedEvent | undefined): void {
    this.instruments?.failures.inc(this.labels);
    const message = error instanceof Error ? error.message : String(error);
    if (!connectionLost && failures >= this.failedAfter) {
      const at = firstEvent ? ` at event ${firstEvent.eventId} (${firstEvent.type}, stream ${firstEvent.streamId}, global position ${firstEvent.globalPosition}) or later in its batch` : '';
      this.monitoring.health?.report(this.subscriptionId, KIND, 'failed', `stuck${at}: ${failures} consecutive failures, last: ${message}; still retrying`);
      return;
    }
    this.monitoring.health?.report(this.subscriptionId, KIND, 'degraded', `batch failed ${failures} time(s), retrying in ${Math.round(retryInMs)} ms: ${message}`);
  }

  /** The subscription will not run (e.g. transaction ids ahead of the cluster). */
  refused(error: unknown): void {
    this.monitoring.health?.report(this.subscriptionId, KIND, 'failed', error instanceof Error ? error.message : String(error));
  }

  /** Stopped on purpose: no longer counts against health. */
  stopped(): void {
    this.monitoring.health?.remove(this.subscriptionId);
    if (!this.instruments) return;
    for (const metric of Object.values(this.instruments)) (metric as Gauge<'subscription'>).remove(this.labels);
  }
}
