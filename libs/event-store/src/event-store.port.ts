/**
 * The event store's public contract. Every Reflux service persists its domain state as events
 * through this port; `PostgresEventStore` is the implementation.
 */
import type { PoolClient } from 'pg';

/** Context carried with every event: who caused it, and where it belongs in a trace. */
export interface EventMetadata {
  /** Id shared by every message of one business interaction. */
  readonly correlationId?: string;
  /** Id of the command or event that directly caused this one. */
  readonly causationId?: string;
  /** W3C trace context (`traceparent`, `tracestate` headers) of the writer. */
  readonly traceparent?: string;
  readonly tracestate?: string;
  /** Authenticated principal (user, API key name or service) that caused the event. */
  readonly actor?: string;
  readonly [key: string]: unknown;
}

/** An event to append. `eventId` makes a retried append idempotent; generated when omitted. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  readonly eventId?: string;
  readonly type: Type;
  readonly data: Data;
  /** Version of this event type's payload schema; 1 when omitted. */
  readonly schemaVersion?: number;
  readonly metadata?: EventMetadata;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> {
  readonly streamId: string;
  /** 0-based position of the event within its stream. */
  readonly streamVersion: number;
  /** Position in the store's global log; increases with every append, unique, may have gaps. */
  readonly globalPosition: number;
  readonly eventId: string;
  readonly type: Type;
  readonly schemaVersion: number;
  readonly data: Data;
  readonly metadata: EventMetadata;
  readonly recordedAt: Date;
}

/**
 * Optimistic concurrency: the version the writer last saw (the stream's last event version, -1 for
 * an empty stream), or one of the named expectations.
 */
export type ExpectedVersion = number | 'any' | 'no_stream' | 'stream_exists';

export interface AppendOptions {
  readonly expectedVersion?: ExpectedVersion;
  /** Append inside a transaction the caller holds (for state change + outbox in one commit). */
  readonly transaction?: PoolClient;
}

export interface AppendResult {
  /** Version of the stream's last event after the append (what the next writer should expect). */
  readonly nextExpectedVersion: number;
  readonly lastGlobalPosition: number;
  /** True when every event id was already stored (a retried append); nothing was written. */
  readonly idempotentReplay: boolean;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive start version (forwards: lowest, backwards: highest). */
  readonly fromVersion?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events with a global position greater than this. */
  readonly after?: number;
  readonly maxCount?: number;
  /** Stream-id prefix such as `alarm-` (a category). */
  readonly category?: string;
  readonly eventTypes?: readonly string[];
}

/** A checkpointed consumer of the global log. */
export interface SubscriptionHandler {
  /**
   * Called inside the transaction that also stores the subscription's checkpoint: write read
   * models with `transaction` and a crash can neither skip nor double-apply an event.
   *
   * Order: commit-safe order, (transaction id, global position). The events of one stream arrive
   * strictly in stream-version order and those of one transaction in global-position order; events
   * of different streams written by concurrent transactions may arrive in an order that differs
   * from their global positions (positions are allocated before commit, so a lower position can
   * commit later; it is delivered, never skipped).
   */
  (events: readonly RecordedEvent[], transaction: PoolClient): Promise<void>;
}

export interface SubscriptionOptions {
  /** Durable name; the checkpoint is stored under it. */
  readonly subscriptionId: string;
  readonly category?: string;
  readonly eventTypes?: readonly string[];
  /** Most events per batch (one transaction). Default 1000. */
  readonly batchSize?: number;
  /**
   * Upper bound of a batch's size in bytes (data + metadata as stored, i.e. after TOAST compression),
   * so that a run of large events cannot exhaust memory; a batch always holds at least one event.
   * Default 16 MiB.
   */
  readonly maxBatchBytes?: number;
}

export interface Subscription {
  /** Resolves once the subscription has caught up with the log as it was when it started. */
  readonly caughtUp: Promise<void>;
  /**
   * Global position of the last event handled and checkpointed by this instance (0 before the
   * first). Follows delivery order, so it is not monotonic across concurrent transactions.
   */
  position(): number;
  stop(): Promise<void>;
}

export interface EventStore {
  appendToStream(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribe(options: SubscriptionOptions, handler: SubscriptionHandler): Subscription;
  /** Runs `work` in one database transaction, committed when it resolves. */
  withTransaction<T>(work: (transaction: PoolClient) => Promise<T>): Promise<T>;
}
