/**
 * The benchmark's gRPC client, run as a child process (forked with IPC) so that encoding requests
 * does not share the service's event loop and its CPU time is measured apart, as for a real
 * client. Receives its settings as the first IPC message, reports the saturation phase's start
 * and end, starts the fixed-load phase when told to, and sends one result message.
 */
import { isDeepStrictEqual } from 'node:util';
import { Client, credentials, Metadata } from '@grpc/grpc-js';
import type { ServiceDefinition } from '@grpc/proto-loader';
import { loadProtoPackage } from '@reflux/proto';
import { encodeWriteRequest } from './sample-batch.encoder';
import { makeBatch, RoundClock, type LoadSettings, type LoadResult } from './workload';

interface Ack {
  ack: { clientBatchId: string; acceptedCount: number; rejected: unknown[]; error: { code: string; message: string } | null };
}

const method = (loadProtoPackage('reflux/ingestion/v1/ingestion.proto')['reflux.ingestion.v1.IngestionService'] as ServiceDefinition).WriteMeasurements;

/** The hand-written encoder must say exactly what protobufjs says. */
function checkEncoder(): void {
  const samples = makeBatch({ tags: 7, batch: 50 }, 0, new RoundClock()).map((s, i) => ({ ...s, timeMs: s.timeMs + (i % 3), quality: i % 5 === 0 ? 0x80000000 : 0 }));
  const decoded = method.requestDeserialize(encodeWriteRequest('check-1', samples)) as { batch: { clientBatchId: string; samples: { tagId: string; time: { seconds: string; nanos: number }; value: number; quality: number }[] } };
  const expected = { clientBatchId: 'check-1', samples: samples.map((s) => ({ tagId: s.tagId, timeMs: s.timeMs, value: s.value, quality: s.quality })) };
  const actual = {
    clientBatchId: decoded.batch.clientBatchId,
    samples: decoded.batch.samples.map((s) => ({ tagId: s.tagId, timeMs: Number(s.time.seconds) * 1000 + s.time.nanos / 1e6, value: s.value, quality: s.quality })),
  };
  if (!isDeepStrictEqual(actual, expected)) throw new Error('the benchmark encoder disagrees with protobufjs');
}

async function run(o: LoadSettings): Promise<LoadResult> {
  checkEncoder();
  const client = new Client(o.address, credentials.createInsecure(), {
    'grpc.max_send_message_length': 64 * 1024 * 1024,
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
  });
  const md = new Metadata();
  md.set('authorization', `Bearer ${o.token}`);

  let batchNo = 0;
  let sampleNo = 0;
  const clock = new RoundClock();
  const stream = client.makeBidiStreamRequest<Buffer, Ack>(
    method.path,
    (encoded) => encoded,
    (bytes) => method.responseDeserialize(bytes) as Ack,
    md,
  );
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
    if (!stream.write(encodeWriteRequest(id, samples))) return new Promise((r) => stream.once('drain', r)).then(() => acked);
    return acked;
  };

  // Warm-up (JIT, partitions, connections).
  await Promise.all(Array.from({ length: 4 }, send));

  // 1. Saturation with a window of in-flight batches.
  await send_({ phase: 'saturation-start' });
  const cpuStart = process.cpuUsage();
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
  const cpu = process.cpuUsage(cpuStart);
  const clientCpuMs = (cpu.user + cpu.system) / 1000;
  // The parent answers once the service has settled (rollups folded, events published).
  const go = new Promise<void>((resolve) => process.once('message', () => resolve()));
  await send_({ phase: 'saturation-end' });
  await go;

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
  return { saturatedSamples, saturatedSeconds, clientCpuMs, fixedSamples, fixedSeconds, latenciesMs: latencies, failedBatches, totalSamples: sampleNo };
}

/** An IPC message to the parent, resolved once it is handed to the channel. */
function send_(message: object): Promise<void> {
  return new Promise((resolve, reject) => process.send!(message, undefined, undefined, (error) => (error ? reject(error) : resolve())));
}

process.once('message', (settings: LoadSettings) => {
  run(settings).then(
    (result) => send_({ result }).then(() => process.disconnect()),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
