import { integrationEvents, type ContractRegistry, type IntegrationEvent } from '@reflux/contracts';
import type { PoolClient } from 'pg';
import type { Logger } from 'pino';
import { deliver } from '../deliver';
import type { BusSubscription, EventBus, RetryPolicy, SubscribeOptions } from '../event-bus.port';
import type { EventStore, Subscription } from '../event-store.types';
import { MESSAGING_ERROR_CODES, MessagingError } from '../messaging.error';
import { TransactionalOutbox } from '../outbox/transactional-outbox';
import { DEFAULT_RETRY_POLICY } from '../retry';
import { ConsumerObserver, type BusMonitoring } from '../monitoring/consumer-observer';
import { subscriptionTopics } from '../subscription-topics';
import { fromStoredEvent, INTEGRATION_CATEGORY, storedTopic } from './integration-event.codec';
import { deadLetterStreamId, toDeadLetterEvent } from './postgres-dead-letter';

export interface PostgresEventBusConfig {
  readonly eventStore: EventStore;
  readonly logger: Logger;
  readonly registry?: ContractRegistry;
  readonly retry?: Partial<RetryPolicy>;
  /** Events per subscription batch (one transaction, one checkpoint). Default 100. */
  readonly batchSize?: number;
  /** ComponentHealth and Prometheus registry the consumers report to. */
  readonly monitoring?: BusMonitoring;
}

/**
 * Integration events in the event log, for single-database deployments without Kafka. Publishing
 * appends to `integration-<subject>` streams; a consumer group is a durable event-store subscription
 * (`bus:<group>`) whose checkpoint is stored in the same transaction the handler writes with, so a
 * handler using `delivery.transaction` applies each event exactly once. Each try runs under a
 * SAVEPOINT. A retriable failure holds the batch (its transaction stays open, nothing behind the
 * event is handled) and is retried with capped backoff until it succeeds; if the transaction itself
 * is lost the batch rolls back and the subscription retries it. A message that can never succeed is
 * appended to `$dlq-<group>` in that transaction and the group moves on.
 */
export class PostgresEventBus implements EventBus {
  readonly outbox: TransactionalOutbox;
  private readonly registry: ContractRegistry;
  private readonly retry: RetryPolicy;
  private readonly logger: Logger;
  private readonly category = INTEGRATION_CATEGORY;
  private readonly subscriptions = new Map<Subscription, AbortController>();
  private closed = false;

  constructor(private readonly config: PostgresEventBusConfig) {
    this.registry = config.registry ?? integrationEvents;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...config.retry };
    this.logger = config.logger.child({ component: 'postgres-event-bus' });
    this.outbox = new TransactionalOutbox({ eventStore: config.eventStore, registry: this.registry, category: this.category });
  }

  /** Publishes in its own transaction. To publish with a state change, use `outbox.enqueue(events, transaction)`. */
  async publish(events: IntegrationEvent | readonly IntegrationEvent[]): Promise<void> {
    this.assertOpen();
    const list = (Array.isArray(events) ? events : [events]) as readonly IntegrationEvent[];
    for (const event of list) this.registry.validate(event); // fail before opening a transaction
    if (list.length === 0) return;
    await this.config.eventStore.withTransaction((transaction) => this.outbox.enqueue(list, transaction));
  }

  async subscribe(options: SubscribeOptions): Promise<BusSubscription> {
    this.assertOpen();
    const topics = new Set(subscriptionTopics(options, this.registry));
    const types = options.types ? new Set(options.types) : undefined;
    const eventTypes = [...(types ?? new Set([...topics].flatMap((t) => this.registry.typesOfTopic(t))))];
    const retry = { ...this.retry, ...options.retry };
    const logger = this.logger.child({ group: options.group });
    const stopping = new AbortController();
    const observer = new ConsumerObserver(options.group, this.config.monitoring ?? {});

    const subscription = this.config.eventStore.subscribe(
      { subscriptionId: `bus:${options.group}`, category: this.category, eventTypes, batchSize: this.config.batchSize ?? 100 },
      async (events, transaction) => {
        for (const recorded of events) {
          const topic = storedTopic(recorded) ?? this.topicOrUnknown(recorded.type);
          if (!topics.has(topic)) continue;
          const outcome = await deliver(
            { envelope: { ok: true, value: fromStoredEvent(recorded) }, topic, position: String(recorded.globalPosition), headers: traceCarrier(recorded.metadata) },
            {
              group: options.group,
              registry: this.registry,
              ...(types && { types }),
              handler: options.handler,
              retry,
              logger,
              transaction,
              aroundAttempt: (work) => inSavepoint(transaction, work),
              abandonOn: (error) => error instanceof TransactionLostError,
              signal: stopping.signal,
              onRetry: (error, attempt, _delayMs, event) => observer.retrying(topic, error, attempt, event),
            },
          );
          // Abandoned: stopping, or the transaction is gone. Rolls back the batch and its checkpoint.
          if (outcome.kind === 'abandoned') throw outcome.error;
          if (outcome.kind === 'dead-letter') {
            await this.config.eventStore.appendToStream(deadLetterStreamId(options.group), [toDeadLetterEvent(recorded, outcome.info)], {
              expectedVersion: 'any',
              transaction,
            });
          }
          observer.delivered(topic, outcome, recorded.recordedAt);
        }
      },
    );
    this.subscriptions.set(subscription, stopping);
    observer.running();
    return {
      group: options.group,
      stop: async () => {
        stopping.abort();
        this.subscriptions.delete(subscription);
        await subscription.stop();
        observer.stopped();
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const all = [...this.subscriptions];
    this.subscriptions.clear();
    for (const [, stopping] of all) stopping.abort();
    await Promise.all(all.map(([s]) => s.stop()));
  }

  private topicOrUnknown(type: string): string {
    return this.registry.has(type) ? this.registry.topicOf(type) : '';
  }

  private assertOpen(): void {
    if (this.closed) throw new MessagingError(MESSAGING_ERROR_CODES.BUS_CLOSED, 'the event bus is closed');
  }
}

function traceCarrier(metadata: Readonly<Record<string, unknown>>): Record<string, string | undefined> {
  const get = (key: string) => (typeof metadata[key] === 'string' ? (metadata[key] as string) : undefined);
  return { traceparent: get('traceparent'), tracestate: get('tracestate') };
}

let savepointCounter = 0;

/** The batch transaction can no longer be used (connection lost, savepoint gone): give the batch up. */
class TransactionLostError extends Error {
  constructor(cause: unknown) {
    super(`the batch transaction is lost: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Runs `work` under a savepoint: a failed try is rolled back alone and the transaction stays usable. */
async function inSavepoint<T>(transaction: PoolClient, work: () => Promise<T>): Promise<T> {
  const name = `reflux_bus_try_${++savepointCounter}`;
  await transaction.query(`SAVEPOINT ${name}`).catch((error: unknown) => {
    throw new TransactionLostError(error);
  });
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await transaction.query(`ROLLBACK TO SAVEPOINT ${name}`).catch((rollbackError: unknown) => {
      throw new TransactionLostError(rollbackError);
    });
    throw error;
  }
  await transaction.query(`RELEASE SAVEPOINT ${name}`).catch((error: unknown) => {
    throw new TransactionLostError(error);
  });
  return result;
}
