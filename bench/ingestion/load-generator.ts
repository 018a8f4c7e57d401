/**
 * The benchmark's gRPC client, run in a worker thread so that encoding requests does not share the
 * server's event loop (a real client is another process). Receives its settings in workerData and
 * posts one result message.
 */
import { credentials, loadPackageDefinition, Metadata, type Client, type ClientDuplexStream } from '@grpc/grpc-js';
import { parentPort, workerData } from 'node:worker_threads';
import { loadProtoPackage } from '@reflux/proto';
import { makeBatch, RoundClock, type LoadSettings, type LoadResult } from './workload';

interface Ack {
  ack: { clientBatchId: string; acceptedCount: number; rejected: unknown[]; error: { code: string; message: string } | null };
}

async function run(o: LoadSettings): Promise<LoadResult> {
  const pkg = loadPackageDefinition(loadProtoPackage('reflux/ingestion/v1/ingestion.proto')) as unknown as {
    reflux: { ingestion: { v1: { IngestionService: new (addr: string, creds: ReturnType<typeof credentials.createInsecure>, opts: object) => Client } } };
  };
  const client = new pkg.reflux.ingestion.v1.IngestionService(o.address, credentials.createInsecure(), {
    'grpc.max_send_message_length': 64 * 1024 * 1024,
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
  }) as Client & { WriteMeasurements(md: Metadata): ClientDuplexStream<unknown, Ack> };
  const md = new Metadata();
  md.set('authorization', `Bearer ${o.token}`);

  let batchNo = 0;
  let sampleNo = 0;
  const clock = new RoundClock();
  const stream = client.WriteMeasurements(md);
  // The open-loop phase may have many writes waiting for the same drain.
  stream.setMaxListeners(0);
  const sentAt = new Map<string, number>();
  const waiting = new Map<string, () => void>();
  let committedSamples = 0;
  let failedBatches = 0;
  const latencies: number[] = [];
  let recordLatency = false;
  stream.on('data', (r: Ack) => {
    const id = r.ack.clientBatchId;
    if (r.ack.error || r.ack.rejected.length > 0) failedBatches++;
    committedSamples += r.ack.acceptedCount;
    if (recordLatency) latencies.push(performance.now() - (sentAt.get(id) ?? Number.NaN));
    sentAt.delete(id);
    waiting.get(id)?.();
    waiting.delete(id);
  });
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const send = (): Promise<void> => {
    const id = `bench-${batchNo++}`;
    const samples = makeBatch(o, sampleNo, clock);
    sampleNo += o.batch;
    sentAt.set(id, performance.now());
    const acked = new Promise<void>((resolve) => waiting.set(id, resolve));
    if (!stream.write({ batch: { clientBatchId: id, samples } })) return new Promise((r) => stream.once('drain', r)).then(() => acked);
    return acked;
  };

  // Warm-up (JIT, partitions, connections).
  await Promise.all(Array.from({ length: 4 }, send));

  // 1. Saturation with a window of in-flight batches.
  const satStart = performance.now();
  const satBefore = committedSamples;
  const inflight = new Set<Promise<void>>();
  while (performance.now() - satStart < o.saturateS * 1000) {
    const p: Promise<void> = send().then(() => void inflight.delete(p));
    inflight.add(p);
    if (inflight.size >= o.window) await Promise.race(inflight);
  }
  await Promise.all(inflight);
  const saturatedSamples = committedSamples - satBefore;
  const saturatedSeconds = (performance.now() - satStart) / 1000;

  // 2. Fixed offered load, open loop: a batch every batch/offered seconds, whatever the acks do.
  recordLatency = true;
  const intervalMs = (o.batch / o.offered) * 1000;
  const fixedStart = performance.now();
  const fixedBefore = committedSamples;
  const pending: Promise<void>[] = [];
  for (let k = 0; k < Math.round((o.fixedS * 1000) / intervalMs); k++) {
    const wait = fixedStart + k * intervalMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(send());
  }
  await Promise.all(pending);
  const fixedSamples = committedSamples - fixedBefore;
  const fixedSeconds = (performance.now() - fixedStart) / 1000;
  stream.end();
  await ended;
  client.close();
  return { saturatedSamples, saturatedSeconds, fixedSamples, fixedSeconds, latenciesMs: latencies, failedBatches, totalSamples: sampleNo };
}

run(workerData as LoadSettings).then(
  (result) => parentPort!.postMessage(result),
  (error: unknown) => {
    throw error;
  },
);
