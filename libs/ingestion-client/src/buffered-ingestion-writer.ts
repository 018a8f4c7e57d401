import * as grpc from '@grpc/grpc-js';
import type { refluxIngestionV1 as v1 } from '@reflux/proto';
import { ingestionStreamClient, isTransient, type IngestionStreamClient, type WriteStream } from './ingestion-stream.client';
import { reconnectDelayMs } from './reconnect-backoff';

/** Where the writer stands; `waiting` is the "waiting for ingestion" a user should see. */
export type WriterState =
  | { readonly kind: 'streaming' }
  | { readonly kind: 'waiting'; readonly reason: string; readonly retryInMs: number; readonly attempt: number; readonly unacknowledged: number }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'closed' };

export interface BufferedIngestionWriterOptions {
  /** host:port of ingestion. */
  readonly address: string;
  /** Bearer token, asked for at each (re)connection so a long import never sends an expired one. */
  readonly token: () => string;
  /** Batches sent and not yet acknowledged; `write` waits beyond it. Default 8. */
  readonly maxInFlight?: number;
  /** Reconnect backoff: first delay and cap, ms. Defaults 250 and 10 000. */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Told of every change of state (a reconnect attempt, streaming again, a fatal error). */
  readonly onState?: (state: WriterState) => void;
  /** Test seam: another client (TLS credentials, interceptors). */
  readonly client?: IngestionStreamClient;
}

interface Pending {
  readonly batch: v1.SampleBatch;
  readonly resolve: (ack: v1.BatchAck) => void;
  readonly reject: (error: Error) => void;
  /** The stream it was last sent on. */
  sentOn?: WriteStream;
  retryTimer?: NodeJS.Timeout;
}

/** Ingestion refused the stream for a reason retrying does not cure (credentials, roles, a bad request). */
export class IngestionWriteFailedError extends Error {
  constructor(
    message: string,
    readonly grpcCode?: grpc.status,
  ) {
    super(message);
    this.name = 'IngestionWriteFailedError';
  }
}

/**
 * Store-and-forward writer over ingestion's bidirectional WriteMeasurements stream, as a PI buffer
 * behaves: batches are kept until acknowledged; when the stream fails (ingestion killed, restarting,
 * UNAVAILABLE, the connection reset, the stream ended), the writer waits with capped exponential
 * backoff, reports `waiting`, reconnects and sends every unacknowledged batch again, in order.
 * Batch ids make that idempotent (ingestion answers a batch it already committed with
 * `duplicate: true`), so nothing is lost and nothing is written twice. A batch acknowledged with a
 * retriable error (storage unavailable) is sent again after a backoff; a batch refused for good is
 * resolved with its error ack. Only a stream failure that retrying cannot cure (UNAUTHENTICATED,
 * PERMISSION_DENIED, …) rejects the pending writes.
 */
export class BufferedIngestionWriter {
  private readonly client: IngestionStreamClient;
  private readonly pending = new Map<string, Pending>();
  private readonly waiters: (() => void)[] = [];
  private stream?: WriteStream;
  private reconnectTimer?: NodeJS.Timeout;
  private attempt = 0;
  private state: WriterState['kind'] = 'streaming';
  private fatal?: IngestionWriteFailedError;
  private closed = false;
  private readonly maxInFlight: number;

  constructor(private readonly options: BufferedIngestionWriterOptions) {
    this.client = options.client ?? ingestionStreamClient(options.address);
    this.maxInFlight = options.maxInFlight ?? 8;
  }

  /** Batches sent (or waiting to be re-sent) and not yet acknowledged. */
  get unacknowledged(): number {
    return this.pending.size;
  }

  /** Resolves once fewer than `maxInFlight` batches await their acknowledgement. */
  async waitForCapacity(): Promise<void> {
    while (this.pending.size >= this.maxInFlight && !this.fatal) await new Promise<void>((r) => this.waiters.push(r));
    if (this.fatal) throw this.fatal;
  }

  /**
   * Sends a batch (waiting first while `maxInFlight` are unacknowledged); resolves with its final
   * acknowledgement, however many reconnections that takes.
   */
  async write(batch: v1.SampleBatch): Promise<v1.BatchAck> {
    if (this.closed) throw new Error('the ingestion writer is closed');
    await this.waitForCapacity();
    if (this.pending.has(batch.clientBatchId)) throw new Error(`batch ${batch.clientBatchId} is already being written`);
    return new Promise<v1.BatchAck>((resolve, reject) => {
      const p: Pending = { batch, resolve, reject };
      this.pending.set(batch.clientBatchId, p);
      if (!this.reconnectTimer) this.send(p);
    });
  }

  /** Waits until every batch written so far is acknowledged. */
  async flush(): Promise<void> {
    while (this.pending.size > 0 && !this.fatal) await new Promise<void>((r) => this.waiters.push(r));
    if (this.fatal) throw this.fatal;
  }

  /** Ends the stream and the channel; batches not yet acknowledged are dropped (flush first). */
  close(): void {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    for (const p of this.pending.values()) clearTimeout(p.retryTimer);
    this.stream?.end();
    this.stream = undefined;
    this.client.close();
    this.setState({ kind: 'closed' });
  }

  private send(p: Pending): void {
    const stream = this.connect();
    p.sentOn = stream;
    stream.write({ batch: p.batch });
  }

  private connect(): WriteStream {
    if (this.stream) return this.stream;
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${this.options.token()}`);
    const stream = this.client.writeMeasurements(metadata);
    this.stream = stream;
    stream.on('data', (response: v1.WriteMeasurementsResponse) => this.onAck(response.ack));
    stream.on('error', (error: grpc.ServiceError) => this.onBroken(stream, error));
    stream.on('end', () => this.onBroken(stream, undefined));
    return stream;
  }

  private onAck(ack: v1.BatchAck | null | undefined): void {
    if (!ack) return;
    const p = this.pending.get(ack.clientBatchId);
    if (!p) return;
    if (this.attempt > 0 || this.state !== 'streaming') {
      this.attempt = 0;
      this.setState({ kind: 'streaming' });
    }
    if (ack.error?.retriable) {
      // Ingestion is up but could not commit (its database is unavailable): send it again later.
      const attempt = ++this.attempt;
      const delay = reconnectDelayMs(attempt, this.options.initialBackoffMs ?? 250, this.options.maxBackoffMs ?? 10_000);
      this.setState({ kind: 'waiting', reason: `${ack.error.code}: ${ack.error.message}`, retryInMs: delay, attempt, unacknowledged: this.pending.size });
      p.sentOn = undefined;
      p.retryTimer = setTimeout(() => {
        p.retryTimer = undefined;
        if (!this.closed && this.pending.get(ack.clientBatchId) === p && !this.reconnectTimer) this.send(p);
      }, delay);
      return;
    }
    this.pending.delete(ack.clientBatchId);
    p.resolve(ack);
    this.wake();
  }

  private onBroken(stream: WriteStream, error: grpc.ServiceError | undefined): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    if (this.closed) return;
    if (error && !isTransient(error.code)) {
      this.fatal = new IngestionWriteFailedError(`ingestion refused the write stream: ${grpc.status[error.code]}: ${error.details}`, error.code);
      this.setState({ kind: 'failed', reason: this.fatal.message });
      for (const p of this.pending.values()) {
        clearTimeout(p.retryTimer);
        p.reject(this.fatal);
      }
      this.pending.clear();
      this.wake();
      return;
    }
    if (this.pending.size === 0) return; // idle: the next write opens a new stream
    const attempt = ++this.attempt;
    const delay = reconnectDelayMs(attempt, this.options.initialBackoffMs ?? 250, this.options.maxBackoffMs ?? 10_000);
    const reason = error ? `${grpc.status[error.code] ?? error.code}: ${error.details}` : 'stream ended by ingestion';
    this.setState({ kind: 'waiting', reason, retryInMs: delay, attempt, unacknowledged: this.pending.size });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.closed) return;
      // Everything unacknowledged goes again, in the order it was written.
      for (const p of this.pending.values()) {
        clearTimeout(p.retryTimer);
        p.retryTimer = undefined;
        this.send(p);
      }
    }, delay);
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private setState(state: WriterState): void {
    this.state = state.kind;
    this.options.onState?.(state);
  }
}
