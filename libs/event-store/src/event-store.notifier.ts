import { Client, type ClientConfig, type Pool } from 'pg';
import type { Logger } from 'pino';
import { EVENTS_CHANNEL } from './event-store.schema';

const NOTIFY = `NOTIFY ${EVENTS_CHANNEL}`;

/**
 * One LISTEN connection per store, shared by its subscriptions. Every notification (and every
 * reconnect, since notifications may have been missed meanwhile) bumps `generation` and wakes the
 * waiters. A subscriber notes the generation before it reads, so a notification that arrives while
 * it reads is never lost.
 */
export class EventNotifier {
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private waiters = new Set<() => void>();
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelayMs = 100;
  private notifying = false;
  private notifyAgain = false;
  generation = 0;

  constructor(
    private readonly config: ClientConfig,
    private readonly logger: Logger,
  ) {}

  /** Starts listening if not yet done; resolves once LISTEN is in place (or failed, logged). */
  ensureListening(): Promise<void> {
    if (this.closed || this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Resolves at the next notification after `seenGeneration`, after `timeoutMs`, at close or when `signal` aborts. */
  wait(seenGeneration: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.closed || this.generation !== seenGeneration || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * Tells every listening store (this process and others) that events were committed. Called after
   * COMMIT instead of pg_notify inside the appending transaction, which would hold PostgreSQL's
   * notification lock across the commit's WAL flush and serialise all committers. Coalesced: while
   * one NOTIFY is in flight, further calls send one more after it. Sent on the LISTEN connection
   * when it is up (an idle connection at hand), else on a pooled one. Fire-and-forget: a lost
   * notification is covered by the subscriptions' fallback poll.
   */
  notifyCommitted(pool: Pool): void {
    if (this.closed) return;
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    this.notifying = true;
    const client = this.client;
    const sent = client ? client.query(NOTIFY) : pool.query(NOTIFY);
    sent
      .catch((error: unknown) => this.logger.debug({ err: error }, 'event-store: NOTIFY after commit failed; subscribers fall back to polling'))
      .finally(() => {
        this.notifying = false;
        if (this.notifyAgain) {
          this.notifyAgain = false;
          this.notifyCommitted(pool);
        }
      });
  }

  /** Wakes every waiter (used by stop()). */
  wakeAll(): void {
    for (const w of [...this.waiters]) w();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.wakeAll();
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private bump(): void {
    this.generation++;
    this.wakeAll();
  }

  private async connect(): Promise<void> {
    const client = new Client(this.config);
    client.on('notification', () => this.bump());
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'event-store: LISTEN connection failed; reconnecting');
      this.dropAndReconnect(client);
    });
    client.on('end', () => this.dropAndReconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.client = client;
      this.reconnectDelayMs = 100;
      this.bump();
    } catch (error) {
      this.logger.warn({ err: error }, 'event-store: cannot LISTEN; subscriptions fall back to polling until it reconnects');
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  private dropAndReconnect(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 10_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.ensureListening();
    }, delay);
    this.reconnectTimer.unref();
  }
}
