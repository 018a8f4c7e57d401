import { CONTRACT_ERROR_CODES, integrationEvents, type ContractRegistry, type IntegrationEvent } from '@reflux/contracts';
import type { Logger } from 'pino';
import { describeError } from '../dead-letter';
import type { EventBus } from '../event-bus.port';
import type { EventStore, RecordedEvent, Subscription } from '../event-store.types';
import { relayMetrics } from '../monitoring/bus-metrics';
import { ComponentMonitor } from '../monitoring/component-monitor';
import type { BusMonitoring } from '../monitoring/consumer-observer';
import { fromStoredEvent } from '../postgres/integration-event.codec';
import { deadLetterStreamId, toDeadLetterEvent } from '../postgres/postgres-dead-letter';
import { assertOutboxCategory } from './outbox-category';

export interface OutboxRelayOptions {
  readonly eventStore: EventStore;
  /** Where events go: normally a `KafkaEventBus`. */
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly registry?: ContractRegistry;
  /**
   * The outbox category to drain, required: `outbox-<name>-` as its `TransactionalOutbox` writes it
   * (see `OUTBOX_CATEGORY_PATTERN`); no outbox category is a prefix of another, so the relay
   * forwards this outbox only, even when several services share the event store.
   */
  readonly category: string;
  /** Durable name of the relay's checkpoint; one relay per outbox category. Default `relay:<category>`. */
  readonly subscriptionId?: string;
  /** Events published per broker round trip (and per checkpoint). Default 100. */
  readonly batchSize?: number;
  /** ComponentHealth (component `relay:<subscriptionId>`) and Prometheus registry (`reflux_outbox_relay_*`). */
  readonly monitoring?: BusMonitoring;
}

/**
 * Drains the outbox into the bus. The relay is an event-store subscription: a batch is published,
 * the broker acknowledges it (acks=all), and only then does the handler return and the checkpoint
 * commit. A crash in between republishes the batch on restart: delivery is at-least-once and
 * consumers deduplicate by event id. An outboxed event that no longer passes its contract is moved
 * to `$dlq-<subscriptionId>` instead of blocking the relay forever; one of a schema version newer
 * than this build (a newer instance wrote it during a rolling deploy) is left for a newer relay.
 * While the broker does not acknowledge, the relay reports `degraded` (then `failed`) and the
 * subscription retries the batch with backoff; nothing is lost or skipped.
 */
export class OutboxRelay {
  private subscription?: Subscription;
  private readonly registry: ContractRegistry;
  private readonly logger: Logger;
  readonly subscriptionId: string;
  readonly category: string;
  private readonly monitor: ComponentMonitor;
  private readonly metrics?: ReturnType<typeof relayMetrics>;
  private failures = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    assertOutboxCategory(options.category);
    this.category = options.category;
    this.registry = options.registry ?? integrationEvents;
    this.subscriptionId = options.subscriptionId ?? `relay:${options.category}`;
    this.logger = options.logger.child({ component: 'outbox-relay', category: this.category });
    this.monitor = new ComponentMonitor(`relay:${this.subscriptionId}`, 'relay', options.monitoring ?? {});
    if (options.monitoring?.metrics) this.metrics = relayMetrics(options.monitoring.metrics);
  }

  /** Starts relaying; `caughtUp` resolves once the outbox as it was at start has been published. */
  start(): Subscription {
    if (this.subscription) return this.subscription;
    this.subscription = this.options.eventStore.subscribe(
      { subscriptionId: this.subscriptionId, category: this.category, batchSize: this.options.batchSize ?? 100 },
      async (events, transaction) => {
        const publishable: IntegrationEvent[] = [];
        for (const recorded of events) {
          const checked = this.check(recorded);
          if ('event' in checked) {
            publishable.push(checked.event);
            continue;
          }
          if (isSchemaAhead(checked.error)) this.failed(checked.error, 'an outboxed event of a newer schema version'); // throws: left for a newer relay
          await this.options.eventStore.appendToStream(deadLetterStreamId(this.subscriptionId), [this.deadLetter(recorded, checked.error)], {
            expectedVersion: 'any',
            transaction,
          });
          this.metrics?.deadLetters.inc({ relay: this.subscriptionId });
        }
        // Throws when the broker does not acknowledge: the transaction and checkpoint roll back.
        try {
          await this.options.bus.publish(publishable);
        } catch (error) {
          this.failed(error, `${publishable.length} outbox event(s)`);
        }
        this.published(events[events.length - 1], publishable.length);
      },
    );
    this.monitor.running();
    return this.subscription;
  }

  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
    this.monitor.stopped();
  }

  private failed(error: unknown, what: string): never {
    this.failures++;
    this.metrics?.publishFailures.inc({ relay: this.subscriptionId, code: describeError(error).code });
    this.monitor.retrying(error, this.failures, what);
    throw error;
  }

  private published(last: RecordedEvent | undefined, count: number): void {
    this.failures = 0;
    this.monitor.progressed();
    this.metrics?.published.inc({ relay: this.subscriptionId }, count);
    const now = Date.now();
    this.metrics?.lastPublished.set({ relay: this.subscriptionId }, now / 1000);
    if (last) this.metrics?.lagSeconds.set({ relay: this.subscriptionId }, Math.max(0, (now - last.recordedAt.getTime()) / 1000));
    this.logger.debug({ count, lastPosition: last?.globalPosition }, 'outbox batch published');
  }

  private check(recorded: RecordedEvent): { event: IntegrationEvent } | { error: unknown } {
    try {
      return { event: this.registry.validate(fromStoredEvent(recorded)) };
    } catch (error) {
      this.logger.error({ eventId: recorded.eventId, type: recorded.type, err: describeError(error).message }, 'outboxed event fails its contract; dead-lettering');
      return { error };
    }
  }

  private deadLetter(recorded: RecordedEvent, error: unknown) {
    const { code, message } = describeError(error);
    return toDeadLetterEvent(recorded, {
      group: this.subscriptionId,
      topic: this.registry.has(recorded.type) ? this.registry.topicOf(recorded.type) : '',
      position: String(recorded.globalPosition),
      eventId: recorded.eventId,
      eventType: recorded.type,
      reason: 'invalid-event',
      errorCode: code,
      errorMessage: message,
      attempts: 0,
      failedAt: new Date().toISOString(),
    });
  }
}

function isSchemaAhead(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === CONTRACT_ERROR_CODES.SCHEMA_VERSION_AHEAD;
}

/**
 * Shutdown in the order that cannot hang: the relay stops taking batches, the bus closes (failing a
 * publish still waiting for the broker, whose batch rolls back and is published again by the next
 * start), then the relay's last batch has ended. Bounded even during a broker outage.
 */
export async function stopRelayAndBus(relay: OutboxRelay, bus: EventBus): Promise<void> {
  const relayStopped = relay.stop();
  await bus.close();
  await relayStopped;
}
