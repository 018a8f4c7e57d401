import type { Registry } from 'prom-client';
import { describeError } from '../dead-letter';
import type { DeliveryOutcome } from '../deliver';
import { consumerMetrics } from './bus-metrics';
import { ComponentMonitor, type MonitorSettings } from './component-monitor';

/** Health and metrics settings of a bus: where its consumers report. */
export interface BusMonitoring extends MonitorSettings {
  /** Prometheus registry for `reflux_bus_consumer_*` (see README). */
  readonly metrics?: Registry;
}

/** Component name of a consumer group in `ComponentHealth`. */
export function consumerComponentName(group: string): string {
  return `consumer:${group}`;
}

/** What one consumer (one `subscribe`) tells health and Prometheus about its deliveries. */
export class ConsumerObserver {
  private readonly monitor: ComponentMonitor;
  private readonly metrics?: ReturnType<typeof consumerMetrics>;

  constructor(
    private readonly group: string,
    settings: BusMonitoring,
  ) {
    this.monitor = new ComponentMonitor(consumerComponentName(group), 'consumer', settings);
    if (settings.metrics) this.metrics = consumerMetrics(settings.metrics);
  }

  running(): void {
    this.monitor.running();
  }

  retrying(topic: string, error: unknown, attempt: number, event: { eventId?: string; eventType?: string }): void {
    this.metrics?.retries.inc({ group: this.group, topic, code: describeError(error).code });
    this.monitor.retrying(error, attempt, `${event.eventType ?? 'event'} ${event.eventId ?? ''}`.trim());
  }

  /** After each message; `appendedAt`: when the broker or event log received it. */
  delivered(topic: string, outcome: DeliveryOutcome, appendedAt?: Date): void {
    const labels = { group: this.group, topic };
    switch (outcome.kind) {
      case 'handled':
        this.metrics?.handled.inc(labels);
        this.monitor.progressed();
        break;
      case 'skipped':
        this.metrics?.skipped.inc({ ...labels, reason: outcome.reason });
        break;
      case 'dead-letter':
        this.metrics?.deadLetters.inc({ ...labels, reason: outcome.info.reason });
        this.monitor.deadLettered(outcome.info.reason === 'handler-failed', `${outcome.info.eventType ?? 'event'} ${outcome.info.eventId ?? outcome.info.position}`);
        break;
      case 'abandoned':
        return;
    }
    const now = Date.now();
    this.metrics?.lastHandled.set({ group: this.group }, now / 1000);
    if (appendedAt) this.metrics?.lagSeconds.set(labels, Math.max(0, (now - appendedAt.getTime()) / 1000));
  }

  lagMessages(topic: string, partition: number, messages: number): void {
    this.metrics?.lagMessages.set({ group: this.group, topic, partition: String(partition) }, Math.max(0, messages));
  }

  crashed(error: unknown, restarting: boolean): void {
    this.monitor.crashed(error, restarting);
  }

  stopped(): void {
    this.monitor.stopped();
  }
}
