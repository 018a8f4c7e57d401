import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { RecordedEvent, Subscription, SubscriptionHandler, SubscriptionOptions } from './event-store.port';
import { EVENT_STORE_ERROR_CODES, EventStoreError } from './event-store.errors';
import type { EventNotifier } from './event-store.notifier';
import { waitForHorizon } from './event-store.horizon-wait';
import { assertTransactionIdsBehindCluster } from './event-store.transaction-ids';
import { safeBatchReader, type Checkpoint, type SafeBatch } from './event-store.safe-read';
import type { UpcasterRegistry } from './upcaster.registry';
import { SubscriptionMonitor, type SubscriptionMonitoring } from './event-store.subscription-monitor';

export interface SubscriptionRuntime {
  readonly pool: Pool;
  readonly notifier: EventNotifier;
  readonly upcasters: UpcasterRegistry;
  readonly logger: Logger;
  /** Fallback poll when no notification arrives (lost notifications, LISTEN connection down). */
  readonly pollIntervalMs: number;
  readonly monitoring?: SubscriptionMonitoring;
  /**
   * Set when the store notifies after commit: a batch transaction is registered here, and if the
   * handler appended with it, `notifyCommitted` runs after its COMMIT.
   */
  readonly afterCommit?: { readonly transactions: WeakMap<PoolClient, { appended: boolean }>; notifyCommitted(): void };
}

export const DEFAULT_BATCH_SIZE = 1000;
const FAILURE_MAX_DELAY_MS = 30_000;

/** Row-locks nothing: an advisory transaction lock serialises the batches of one subscription id. */
export async function lockSubscription(client: PoolClient, subscriptionId: string): Promise<void> {
  await client.query({ name: 'reflux_lock_subscription', text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 7))', values: [`reflux_subscription:${subscriptionId}`] });
}

/** BEGIN and the subscription lock in one round trip (simple protocol, the key as an escaped literal). */
async function beginLocked(client: PoolClient, subscriptionId: string): Promise<void> {
  await client.query(`BEGIN; SELECT pg_advisory_xact_lock(hashtextextended(${client.escapeLiteral(`reflux_subscription:${subscriptionId}`)}, 7))`);
}

export async function writeCheckpoint(client: PoolClient, subscriptionId: string, checkpoint: Checkpoint): Promise<void> {
  await client.query({
    name: 'reflux_write_checkpoint',
    text: `INSERT INTO reflux_subscription_checkpoints (subscription_id, transaction_id, global_position) VALUES ($1, $2::xid8, $3)
           ON CONFLICT (subscription_id) DO UPDATE SET transaction_id = EXCLUDED.transaction_id, global_position = EXCLUDED.global_position, updated_at = now()`,
    values: [subscriptionId, checkpoint.transactionId, checkpoint.globalPosition],
  });
}

/**
 * A catch-up-then-live subscription. Each batch is one transaction: advisory lock on the
 * subscription id (two instances never handle the same batch), read the checkpoint, read the next
 * safe events, call the handler with the transaction, store the checkpoint, commit. A handler
 * failure or a lost connection rolls the whole batch back; it is retried with backoff.
 *
 * Order guarantee: events arrive in (transaction_id, global_position) order, i.e. in commit-safe
 * order: all events of one transaction in position order, and the events of one stream strictly in
 * stream-version order. Events of different streams written by concurrent transactions may arrive
 * in an order different from their global positions (positions are allocated before commit).
 */
export class PostgresSubscription implements Subscription {
  readonly caughtUp: Promise<void>;
  private resolveCaughtUp!: () => void;
  private rejectCaughtUp!: (error: Error) => void;
  private lastPosition = 0;
  private readonly stopping = new AbortController();
  private readonly loop: Promise<void>;
  private readonly readBatch: ReturnType<typeof safeBatchReader>;
  private readonly batchSize: number;
  private readonly monitor: SubscriptionMonitor;
  /** First event of the batch being handled, to name a poison event. */
  private batchStart: RecordedEvent | undefined;

  constructor(
    private readonly runtime: SubscriptionRuntime,
    private readonly options: SubscriptionOptions,
    private readonly handler: SubscriptionHandler,
  ) {
    this.caughtUp = new Promise<void>((resolve, reject) => {
      this.resolveCaughtUp = resolve;
      this.rejectCaughtUp = reject;
    });
    this.caughtUp.catch(() => undefined);
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.readBatch = safeBatchReader(options, runtime.upcasters);
    this.monitor = new SubscriptionMonitor(options.subscriptionId, runtime.monitoring);
    this.loop = this.run();
  }

  position(): number {
    return this.lastPosition;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    this.monitor.stopped();
    this.rejectCaughtUp(new EventStoreError(EVENT_STORE_ERROR_CODES.CLOSED, `subscription ${this.options.subscriptionId} stopped before it caught up`));
  }

  private async run(): Promise<void> {
    const { notifier, logger, pollIntervalMs } = this.runtime;
    const log = logger.child({ subscriptionId: this.options.subscriptionId });
    await notifier.ensureListening();
    if (!(await this.transactionIdsUsable(log))) return;
    let failures = 0;
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      const generation = notifier.generation;
      let batch: SafeBatch;
      try {
        batch = await this.processBatch();
        failures = 0;
      } catch (error) {
        failures++;
        const delayMs = Math.min(FAILURE_MAX_DELAY_MS, 100 * 2 ** Math.min(failures, 10)) * (0.5 + Math.random() / 2);
        log.error({ err: error, failures, retryInMs: Math.round(delayMs) }, 'event-store: subscription batch failed; rolled back, will retry');
        this.monitor.batchFailed(error, failures, delayMs, isConnectionError(error) || (error as { code?: unknown }).code === EVENT_STORE_ERROR_CODES.TRANSIENT, this.batchStart);
        await abortableSleep(delayMs, signal);
        continue;
      }
      if (batch.full) continue;
      if (batch.blocked) {
        await waitForHorizon(this.runtime.pool, notifier, generation, batch.horizon, signal);
        continue;
      }
      this.resolveCaughtUp();
      await notifier.wait(generation, pollIntervalMs, signal);
    }
  }

  /** False (and caughtUp rejected) when stored transaction ids are ahead of the cluster: a restore that needs a rebase. */
  private async transactionIdsUsable(log: Logger): Promise<boolean> {
    try {
      await assertTransactionIdsBehindCluster(this.runtime.pool);
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code !== EVENT_STORE_ERROR_CODES.TRANSACTION_IDS_AHEAD) return true; // e.g. database down: the loop retries
      log.error({ err: error }, 'event-store: subscription refuses to start');
      this.monitor.refused(error);
      this.rejectCaughtUp(error as Error);
      return false;
    }
  }

  private async processBatch(): Promise<SafeBatch> {
    const client = await this.runtime.pool.connect();
    let broken: Error | undefined;
    // A connection killed while the handler awaits something else emits 'error' on the client.
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    const own = { appended: false };
    this.runtime.afterCommit?.transactions.set(client, own);
    try {
      try {
        await beginLocked(client, this.options.subscriptionId);
        this.batchStart = undefined;
        const batch = await this.readBatch(client, { subscriptionId: this.options.subscriptionId }, this.batchSize, this.options.maxBatchBytes);
        this.batchStart = batch.events[0];
        if (batch.events.length > 0) await this.handler(batch.events as readonly RecordedEvent[], client);
        if (batch.advanced) await writeCheckpoint(client, this.options.subscriptionId, batch.next);
        await client.query('COMMIT');
        if (own.appended) this.runtime.afterCommit?.notifyCommitted();
        if (batch.events.length > 0) this.lastPosition = batch.events[batch.events.length - 1].globalPosition;
        this.monitor.batchCommitted(batch.events, batch.lastReadPosition, batch.headPosition, !batch.full && !batch.blocked);
        return batch;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      }
    } catch (error) {
      broken ??= isConnectionError(error) ? (error as Error) : undefined;
      throw error;
    } finally {
      this.runtime.afterCommit?.transactions.delete(client);
      client.off('error', onError);
      client.release(broken);
    }
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function isConnectionError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return (typeof code === 'string' && (code.startsWith('08') || code.startsWith('57P'))) || (error instanceof Error && /Connection terminated|ECONNRESET|not queryable/.test(error.message));
}
