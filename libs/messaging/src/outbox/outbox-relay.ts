import { integrationEvents, type ContractRegistry, type IntegrationEvent } from '@reflux/contracts';
import type { Logger } from 'pino';
import { describeError } from '../dead-letter';
import type { EventBus } from '../event-bus.port';
import type { EventStore, RecordedEvent, Subscription } from '../event-store.types';
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
}

/**
 * Drains the outbox into the bus. The relay is an event-store subscription: a batch is published,
 * the broker acknowledges it (acks=all), and only then does the handler return and the checkpoint
 * commit. A crash in between republishes the batch on restart: delivery is at-least-once and
 * consumers deduplicate by event id. An outboxed event that no longer passes its contract is moved
 * to `$dlq-<subscriptionId>` instead of blocking the relay forever.
 */
export class OutboxRelay {
  private subscription?: Subscription;
  private readonly registry: ContractRegistry;
  private readonly logger: Logger;
  readonly subscriptionId: string;
  readonly category: string;

  constructor(private readonly options: OutboxRelayOptions) {
    assertOutboxCategory(options.category);
    this.category = options.category;
    this.registry = options.registry ?? integrationEvents;
    this.subscriptionId = options.subscriptionId ?? `relay:${options.category}`;
    this.logger = options.logger.child({ component: 'outbox-relay', category: this.category });
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
          await this.options.eventStore.appendToStream(deadLetterStreamId(this.subscriptionId), [this.deadLetter(recorded, checked.error)], {
            expectedVersion: 'any',
            transaction,
          });
        }
        // Throws when the broker does not acknowledge: the transaction and checkpoint roll back.
        await this.options.bus.publish(publishable);
        this.logger.debug({ count: publishable.length, lastPosition: events[events.length - 1]?.globalPosition }, 'outbox batch published');
      },
    );
    return this.subscription;
  }

  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
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
