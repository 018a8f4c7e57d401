import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { RecordedEvent } from './event-store.port';
import type { EventNotifier } from './event-store.notifier';
import { safeBatchReader, type Checkpoint, type EventFilter, type SafeBatch } from './event-store.safe-read';
import type { UpcasterRegistry } from './upcaster.registry';
import { waitForHorizon } from './event-store.horizon-wait';

/**
 * A read-only reader of the global log in commit-safe order, (transaction id, global position):
 * the order subscriptions see, but with the cursor kept by the caller instead of stored. Several
 * readers (gateway replicas, clients resuming from a position) that start from the same checkpoint
 * read the same events in the same order.
 */
export interface LogReader {
  /** The next safe events after `from` (at most `limit`), and the checkpoint to continue from. */
  read(from: Checkpoint, limit: number): Promise<SafeBatch>;
}

export function logReader(pool: Pool, upcasters: UpcasterRegistry, filter: EventFilter = {}): LogReader {
  const readBatch = safeBatchReader(filter, upcasters);
  return {
    async read(from, limit) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        return await readBatch(client, from, limit);
      } catch (error) {
        broken = error as Error;
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}

/**
 * Where the event at `position` stands in commit-safe order: reading after the returned checkpoint
 * yields exactly the events that follow it. Undefined when no event has that position (never
 * written, rolled back, or pruned by retention).
 */
export async function checkpointAtPosition(pool: Pool, position: number): Promise<Checkpoint | undefined> {
  const { rows } = await pool.query<{ tid: string }>({
    name: 'reflux_checkpoint_at_position',
    text: 'SELECT transaction_id::text AS tid FROM reflux_events WHERE global_position = $1',
    values: [position],
  });
  return rows.length === 0 ? undefined : { transactionId: rows[0].tid, globalPosition: position };
}

/** The checkpoint of "now": everything already safe lies at or before it, so a tail from here sees only what follows. */
export async function headCheckpoint(pool: Pool): Promise<Checkpoint> {
  const { rows } = await pool.query<{ xmin: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin');
  return { transactionId: rows[0].xmin, globalPosition: 0 };
}

/** Orders two checkpoints (xid8 in decimal, then position). */
export function compareCheckpoints(a: Checkpoint, b: Checkpoint): number {
  const t = a.transactionId.length !== b.transactionId.length ? a.transactionId.length - b.transactionId.length : a.transactionId < b.transactionId ? -1 : a.transactionId > b.transactionId ? 1 : 0;
  return t || a.globalPosition - b.globalPosition;
}

export interface LogTailOptions extends EventFilter {
  readonly from: Checkpoint;
  /** Most events per batch. Default 1000. */
  readonly batchSize?: number;
}

export interface LogTailHandler {
  /**
   * Called in order, one batch at a time: the events, each one's checkpoint (same index), and the
   * checkpoint after the batch (it may move past filtered events, up to the safe horizon).
   */
  (events: readonly RecordedEvent[], checkpoints: readonly Checkpoint[], next: Checkpoint): Promise<void> | void;
}

export interface LogTailRuntime {
  readonly pool: Pool;
  readonly notifier: EventNotifier;
  readonly upcasters: UpcasterRegistry;
  readonly logger: Logger;
  readonly pollIntervalMs: number;
}

const FAILURE_MAX_DELAY_MS = 30_000;

/**
 * Catch-up then live, read-only: reads safe batches after `from`, hands each to the handler with the
 * checkpoint after it, then waits for the store's notifications (or the fallback poll). Nothing is
 * written to the database; a failed read is retried with backoff from the same checkpoint.
 */
export class LogTail {
  private readonly stopping = new AbortController();
  private readonly loop: Promise<void>;
  private cursor: Checkpoint;
  private readonly reader: LogReader;

  constructor(
    private readonly runtime: LogTailRuntime,
    private readonly options: LogTailOptions,
    private readonly handler: LogTailHandler,
  ) {
    this.cursor = options.from;
    this.reader = logReader(runtime.pool, runtime.upcasters, options);
    this.loop = this.run();
  }

  /** Checkpoint after the last batch handed to the handler. */
  checkpoint(): Checkpoint {
    return this.cursor;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { notifier, logger, pollIntervalMs } = this.runtime;
    const signal = this.stopping.signal;
    await notifier.ensureListening();
    let failures = 0;
    while (!signal.aborted) {
      const generation = notifier.generation;
      let batch: SafeBatch;
      try {
        batch = await this.reader.read(this.cursor, this.options.batchSize ?? 1000);
        if (signal.aborted) return;
        if (batch.events.length > 0 || batch.advanced) await this.handler(batch.events, batch.checkpoints, batch.next);
        this.cursor = batch.next;
        failures = 0;
      } catch (error) {
        failures++;
        const delayMs = Math.min(FAILURE_MAX_DELAY_MS, 100 * 2 ** Math.min(failures, 10)) * (0.5 + Math.random() / 2);
        logger.error({ err: error, failures, retryInMs: Math.round(delayMs) }, 'event-store: log tail read failed; will retry');
        await sleep(delayMs, signal);
        continue;
      }
      if (batch.full) continue;
      if (batch.blocked) {
        await waitForHorizon(this.runtime.pool, notifier, generation, batch.horizon, signal);
        continue;
      }
      await notifier.wait(generation, pollIntervalMs, signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
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
