import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { loadProtoPackage, type refluxIngestionV1 as v1 } from '@reflux/proto';

interface IngestionStreamClient extends grpc.Client {
  writeMeasurements(metadata: grpc.Metadata): grpc.ClientDuplexStream<v1.WriteMeasurementsRequest, v1.WriteMeasurementsResponse>;
}

interface Pending {
  readonly batch: v1.SampleBatch;
  readonly resolve: (ack: v1.BatchAck) => void;
}

/**
 * Writes batches over ingestion's bidirectional `WriteMeasurements` stream, at most `maxInFlight`
 * unacknowledged at a time (so a slow ingestion slows the simulator). When the stream breaks
 * (ingestion restarting), it reconnects with backoff and sends the unacknowledged batches again:
 * batch ids make that idempotent.
 */
export class IngestionWriter {
  private readonly client: IngestionStreamClient;
  private stream?: grpc.ClientDuplexStream<v1.WriteMeasurementsRequest, v1.WriteMeasurementsResponse>;
  private readonly pending = new Map<string, Pending>();
  private readonly waiters: (() => void)[] = [];
  private reconnectDelayMs = 250;
  private closed = false;

  constructor(
    address: string,
    private readonly token: string,
    private readonly logger: Logger,
    private readonly maxInFlight = 8,
  ) {
    const loaded = grpc.loadPackageDefinition(loadProtoPackage('reflux/ingestion/v1/ingestion.proto')) as unknown as {
      reflux: { ingestion: { v1: { IngestionService: new (a: string, c: grpc.ChannelCredentials) => IngestionStreamClient } } };
    };
    this.client = new loaded.reflux.ingestion.v1.IngestionService(address, grpc.credentials.createInsecure());
  }

  /** Resolves once fewer than `maxInFlight` batches await their acknowledgement. */
  async waitForCapacity(): Promise<void> {
    while (this.pending.size >= this.maxInFlight) await new Promise<void>((r) => this.waiters.push(r));
  }

  /** Resolves with the batch's acknowledgement; waits first while too many batches are in flight. */
  async write(batch: v1.SampleBatch): Promise<v1.BatchAck> {
    await this.waitForCapacity();
    const acked = new Promise<v1.BatchAck>((resolve) => this.pending.set(batch.clientBatchId, { batch, resolve }));
    this.send(batch);
    return acked;
  }

  /** Waits until every batch written so far is acknowledged. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await new Promise<void>((r) => this.waiters.push(r));
  }

  close(): void {
    this.closed = true;
    this.stream?.end();
    this.client.close();
  }

  private send(batch: v1.SampleBatch): void {
    this.connect().write({ batch });
  }

  private connect(): grpc.ClientDuplexStream<v1.WriteMeasurementsRequest, v1.WriteMeasurementsResponse> {
    if (this.stream) return this.stream;
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${this.token}`);
    const stream = this.client.writeMeasurements(metadata);
    this.stream = stream;
    stream.on('data', (response: v1.WriteMeasurementsResponse) => this.onAck(response.ack));
    stream.on('error', (error: grpc.ServiceError) => this.onBroken(stream, error));
    stream.on('end', () => this.onBroken(stream, undefined));
    return stream;
  }

  private onAck(ack: v1.BatchAck | null | undefined): void {
    if (!ack) return;
    const pending = this.pending.get(ack.clientBatchId);
    if (!pending) return;
    if (ack.error?.retriable) {
      this.logger.warn({ batch: ack.clientBatchId, code: ack.error.code }, 'batch not written, will retry');
      setTimeout(() => this.send(pending.batch), 1000);
      return;
    }
    if (ack.error) this.logger.error({ batch: ack.clientBatchId, code: ack.error.code, message: ack.error.message }, 'batch refused');
    if (ack.rejected.length > 0) this.logger.warn({ batch: ack.clientBatchId, rejected: ack.rejected.slice(0, 5), count: ack.rejected.length }, 'samples rejected');
    this.reconnectDelayMs = 250;
    this.pending.delete(ack.clientBatchId);
    pending.resolve(ack);
    for (const wake of this.waiters.splice(0)) wake();
  }

  private onBroken(stream: grpc.ClientDuplexStream<v1.WriteMeasurementsRequest, v1.WriteMeasurementsResponse>, error: grpc.ServiceError | undefined): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    if (this.closed) return;
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(10_000, this.reconnectDelayMs * 2);
    this.logger.warn({ code: error?.code, details: error?.details, retryInMs: delay, unacknowledged: this.pending.size }, 'ingestion stream broken; reconnecting');
    setTimeout(() => {
      if (this.closed) return;
      for (const p of this.pending.values()) this.send(p.batch);
      // An idle stream is reopened on the next write.
    }, delay);
  }
}
