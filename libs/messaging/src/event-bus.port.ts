import type { Context } from '@opentelemetry/api';
import type { IntegrationEvent } from '@reflux/contracts';
import type { PoolClient } from 'pg';

/**
 * Publishes integration events and delivers them to consumer groups. Delivery is at-least-once and
 * in order per subject (the message key); consumers must be idempotent by `eventId`
 * (see `idempotentHandler`). Implementations: `KafkaEventBus`, `PostgresEventBus`.
 */
export interface EventBus {
  /**
   * Validates every event against its contract (throwing `CONTRACTS.INVALID_EVENT` before anything
   * is sent) and resolves once the broker or database has durably accepted all of them.
   */
  publish(events: IntegrationEvent | readonly IntegrationEvent[]): Promise<void>;
  /** Starts a consumer; resolves once it is attached to its group and receiving. */
  subscribe(options: SubscribeOptions): Promise<BusSubscription>;
  /** Stops every consumer and the producer. */
  close(): Promise<void>;
}

export interface SubscribeOptions {
  /** Consumer group: consumers sharing a group share the work; each group gets every event. */
  readonly group: string;
  /** Topics to read; defaults to the topics of `types`. */
  readonly topics?: readonly string[];
  /** Event types to hand to `handler`; others on the same topics are acknowledged and skipped. */
  readonly types?: readonly string[];
  readonly handler: EventHandler;
  /** Override of the bus's retry policy for this consumer. */
  readonly retry?: Partial<RetryPolicy>;
}

/**
 * Handles one event. Throwing makes the bus retry with backoff, without limit, holding later events
 * of the subject; an error with `retriable: false` (a `DomainError` by default) dead-letters the
 * event at once and the consumer moves on.
 */
export type EventHandler = (event: IntegrationEvent, delivery: DeliveryContext) => Promise<void>;

export interface DeliveryContext {
  readonly group: string;
  readonly topic: string;
  /** 1 for the first try of this delivery, incremented on every retry. */
  readonly attempt: number;
  /** Trace context extracted from the message (W3C `traceparent`), also active while the handler runs. */
  readonly traceContext: Context;
  /** Where the event sits: Kafka `partition/offset`, PostgreSQL global position. */
  readonly position: string;
  /**
   * PostgreSQL bus only: the transaction that will also store the consumer's checkpoint. Write
   * read models with it and the event is applied exactly once.
   */
  readonly transaction?: PoolClient;
}

export interface BusSubscription {
  readonly group: string;
  stop(): Promise<void>;
}

/**
 * Backoff between tries of a handler that failed retriably. There is deliberately no attempt limit:
 * a retriable failure holds the message (and, to keep per-subject order, everything behind it) until
 * it succeeds or the consumer stops; the consumer reports `degraded`, then `failed` (see README).
 */
export interface RetryPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly multiplier: number;
  /** Fraction of the delay randomised (0: none; 0.2: ±20 %). */
  readonly jitter: number;
}
