import type { Pool, PoolClient } from 'pg';
import pino, { type Logger } from 'pino';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  Subscription,
  SubscriptionHandler,
  SubscriptionOptions,
} from './event-store.port';
import { appendInTransaction } from './event-store.append';
import { EVENT_STORE_ERROR_CODES, EventStoreError, InvalidArgumentError, translatePgError } from './event-store.errors';
import { EventNotifier } from './event-store.notifier';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './event-store.rows';
import { migrateEventStore } from './event-store.schema';
import { loadSnapshot, saveSnapshot } from './event-store.snapshots';
import type { Snapshot, SnapshotStore } from './snapshot.port';
import { assertTransactionIdsBehindCluster } from './event-store.transaction-ids';
import { PostgresSubscription } from './event-store.subscription';
import { LogTail, logReader, type LogReader, type LogTailHandler, type LogTailOptions } from './event-store.tail';
import type { EventFilter } from './event-store.safe-read';
import type { SubscriptionMonitoring } from './event-store.subscription-monitor';
import { categoryPattern, prepareAppend, validateFilter, validateReadAll, validateReadStream, type PreparedEvent } from './event-store.validation';
import { UpcasterRegistry, type Upcaster } from './upcaster.registry';

export interface PostgresEventStoreOptions {
  readonly pool: Pool;
  readonly logger?: Logger;
  readonly upcasters?: UpcasterRegistry | readonly Upcaster[];
  /** Fallback poll of idle subscriptions, in ms, for notifications lost while LISTEN reconnects. Default 1000. */
  readonly pollIntervalMs?: number;
  /** How often a standalone append retries internal, retriable races before giving up. Default 10. */
  readonly appendAttempts?: number;
  /**
   * Health and Prometheus metrics of every subscription of this store (and so of the projections,
   * relays and PostgreSQL-bus consumers built on them): pass the service's `ComponentHealth` and
   * metrics registry.
   */
  readonly monitoring?: SubscriptionMonitoring;
  /**
   * When appends wake subscribers. `after-commit` (default): the store sends NOTIFY once its own
   * COMMIT has returned (standalone appends, appends inside `withTransaction` and inside a
   * subscription handler's batch transaction); only appends in a transaction the store did not open
   * notify inside it. `in-transaction`: every append calls
   * pg_notify inside its transaction, which serialises all committers cluster-wide (measured in
   * bench/event-store; kept for comparison).
   */
  readonly notify?: 'after-commit' | 'in-transaction';
}

const INTERNALLY_RETRIED: ReadonlySet<string> = new Set([
  EVENT_STORE_ERROR_CODES.TRANSACTION_ORDER_CONFLICT,
  EVENT_STORE_ERROR_CODES.CONCURRENT_DUPLICATE,
  EVENT_STORE_ERROR_CODES.TRANSIENT,
]);

/** The PostgreSQL implementation of `EventStore`. The pool belongs to the caller; `close()` leaves it open. */
export class PostgresEventStore implements EventStore, SnapshotStore {
  readonly pool: Pool;
  readonly upcasters: UpcasterRegistry;
  private readonly logger: Logger;
  private readonly notifier: EventNotifier;
  private readonly subscriptions = new Set<PostgresSubscription>();
  private readonly tails = new Set<LogTail>();
  private readonly pollIntervalMs: number;
  private readonly appendAttempts: number;
  private readonly monitoring?: SubscriptionMonitoring;
  private readonly notifyAfterCommit: boolean;
  /** Transactions the store commits (withTransaction, subscription batches): whether they appended (and so notify after COMMIT). */
  private readonly ownTransactions = new WeakMap<PoolClient, { appended: boolean }>();
  private closed = false;

  constructor(options: PostgresEventStoreOptions) {
    this.pool = options.pool;
    this.logger = options.logger ?? pino({ enabled: false });
    this.upcasters = options.upcasters instanceof UpcasterRegistry ? options.upcasters : new UpcasterRegistry(options.upcasters ?? []);
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.appendAttempts = options.appendAttempts ?? 10;
    this.monitoring = options.monitoring;
    this.notifyAfterCommit = (options.notify ?? 'after-commit') === 'after-commit';
    this.notifier = new EventNotifier(this.pool.options, this.logger);
  }

  /**
   * Creates or upgrades the schema (module `event-store` of `runMigrations`), then refuses with
   * EVENT_STORE.TRANSACTION_IDS_AHEAD when stored transaction ids are ahead of this cluster's
   * counter (a restore into another cluster; see README, "After a restore").
   */
  async migrate(): Promise<string[]> {
    const applied = await migrateEventStore(this.pool);
    await assertTransactionIdsBehindCluster(this.pool);
    return applied;
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    const expected = options.expectedVersion ?? 'any';
    const prepared = prepareAppend(streamId, events, expected);
    if (options.transaction) {
      try {
        return await this.appendIn(options.transaction, streamId, prepared, expected, false);
      } catch (error) {
        throw translatePgError(error);
      }
    }
    for (let attempt = 1; ; attempt++) {
      try {
        // The prepared ids stay the same on every try, so a retry recognises its own earlier commit.
        return await this.withTransaction((tx) => this.appendIn(tx, streamId, prepared, expected, attempt > 1));
      } catch (raw) {
        const error = translatePgError(raw);
        if (error instanceof EventStoreError && INTERNALLY_RETRIED.has(error.code) && attempt < this.appendAttempts) {
          this.logger.debug({ err: error, streamId, attempt }, 'event-store: retrying append');
          await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
          continue;
        }
        throw error;
      }
    }
  }

  /** Notifies inside the transaction only when the store does not run its COMMIT (a caller's transaction). */
  private async appendIn(tx: PoolClient, streamId: string, prepared: PreparedEvent[], expected: ExpectedVersion, retry: boolean): Promise<AppendResult> {
    const own = this.notifyAfterCommit ? this.ownTransactions.get(tx) : undefined;
    const result = await appendInTransaction(tx, streamId, prepared, expected, retry, own === undefined);
    if (own) own.appended = true;
    return result;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    validateReadStream(streamId, options);
    const backwards = options.direction === 'backwards';
    const values: unknown[] = [streamId];
    let where = 'stream_id = $1';
    if (options.fromVersion !== undefined) {
      values.push(options.fromVersion);
      where += backwards ? ` AND stream_version <= $2` : ` AND stream_version >= $2`;
    }
    let limit = '';
    if (options.maxCount !== undefined) {
      values.push(options.maxCount);
      limit = ` LIMIT $${values.length}`;
    }
    const text = `SELECT ${EVENT_COLUMNS} FROM reflux_events WHERE ${where} ORDER BY stream_version ${backwards ? 'DESC' : 'ASC'}${limit}`;
    const { rows } = await this.pool.query<EventRow>({ text, values, rowMode: 'array' });
    return rows.map((r) => toRecordedEvent(r, this.upcasters));
  }

  /**
   * Reads the global log in position order, as committed now. For tailing the log use `subscribe`:
   * a transaction may still commit an event below the last position read here.
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    validateReadAll(options);
    const values: unknown[] = [options.after ?? 0];
    let where = 'global_position > $1';
    if (options.category !== undefined) {
      values.push(categoryPattern(options.category));
      where += ` AND stream_id LIKE $${values.length}`;
    }
    if (options.eventTypes !== undefined) {
      values.push(this.upcasters.storedTypesOf(options.eventTypes));
      where += ` AND type = ANY($${values.length}::text[])`;
    }
    values.push(options.maxCount ?? 1000);
    const text = `SELECT ${EVENT_COLUMNS} FROM reflux_events WHERE ${where} ORDER BY global_position LIMIT $${values.length}`;
    const { rows } = await this.pool.query<EventRow>({ text, values, rowMode: 'array' });
    const events = rows.map((r) => toRecordedEvent(r, this.upcasters));
    if (options.eventTypes === undefined) return events;
    const wanted = new Set(options.eventTypes);
    return events.filter((e) => wanted.has(e.type));
  }

  subscribe(options: SubscriptionOptions, handler: SubscriptionHandler): Subscription {
    this.assertOpen();
    const issues = validateFilter(options.category, options.eventTypes, 'options');
    if (typeof options.subscriptionId !== 'string' || options.subscriptionId.length === 0) {
      issues.push({ path: 'options.subscriptionId', message: 'must be a non-empty string' });
    }
    if (options.batchSize !== undefined && (!Number.isSafeInteger(options.batchSize) || options.batchSize < 1 || options.batchSize > 100_000)) {
      issues.push({ path: 'options.batchSize', message: 'must be an integer between 1 and 100000' });
    }
    if (options.maxBatchBytes !== undefined && (!Number.isSafeInteger(options.maxBatchBytes) || options.maxBatchBytes < 1)) {
      issues.push({ path: 'options.maxBatchBytes', message: 'must be an integer >= 1 (bytes)' });
    }
    if (issues.length > 0) throw new InvalidArgumentError(issues);
    const subscription = new PostgresSubscription(
      {
        pool: this.pool,
        notifier: this.notifier,
        upcasters: this.upcasters,
        logger: this.logger,
        pollIntervalMs: this.pollIntervalMs,
        monitoring: this.monitoring,
        afterCommit: this.notifyAfterCommit ? { transactions: this.ownTransactions, notifyCommitted: () => this.notifier.notifyCommitted(this.pool) } : undefined,
      },
      options,
      handler,
    );
    this.subscriptions.add(subscription);
    const stop = subscription.stop.bind(subscription);
    subscription.stop = async () => {
      this.subscriptions.delete(subscription);
      await stop();
    };
    return subscription;
  }

  /**
   * A read-only catch-up-then-live reader of the global log in commit-safe order from a checkpoint
   * the caller keeps (nothing is stored): for fan-out to clients that resume by position.
   */
  tail(options: LogTailOptions, handler: LogTailHandler): LogTail {
    this.assertOpen();
    const issues = validateFilter(options.category, options.eventTypes, 'options');
    if (issues.length > 0) throw new InvalidArgumentError(issues);
    const tail = new LogTail({ pool: this.pool, notifier: this.notifier, upcasters: this.upcasters, logger: this.logger, pollIntervalMs: this.pollIntervalMs }, options, handler);
    this.tails.add(tail);
    return tail;
  }

  /** Read-only batches of the global log in commit-safe order after a caller-held checkpoint. */
  reader(filter: EventFilter = {}): LogReader {
    const issues = validateFilter(filter.category, filter.eventTypes, 'filter');
    if (issues.length > 0) throw new InvalidArgumentError(issues);
    return logReader(this.pool, this.upcasters, filter);
  }

  loadSnapshot(streamId: string, name: string, schemaVersion: number): Promise<Snapshot | undefined> {
    this.assertOpen();
    return loadSnapshot(this.pool, streamId, name, schemaVersion);
  }

  saveSnapshot(streamId: string, name: string, schemaVersion: number, snapshot: Snapshot): Promise<void> {
    this.assertOpen();
    return saveSnapshot(this.pool, streamId, name, schemaVersion, snapshot);
  }

  async withTransaction<T>(work: (transaction: PoolClient) => Promise<T>): Promise<T> {
    this.assertOpen();
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    const state = { appended: false };
    this.ownTransactions.set(client, state);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      if (state.appended) this.notifier.notifyCommitted(this.pool);
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      this.ownTransactions.delete(client);
      client.off('error', onError);
      client.release(broken);
    }
  }

  /** Stops every subscription (each finishes its current batch) and the LISTEN connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await Promise.all([...this.tails].map((t) => t.stop()));
    await this.notifier.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreError(EVENT_STORE_ERROR_CODES.CLOSED, 'the event store is closed');
  }
}
