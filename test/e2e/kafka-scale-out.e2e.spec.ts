/**
 * Issue 12, scale-out on Kafka: two balancing replicas (processes) in one consumer group share the
 * MeasurementsIngested partitions (key `ingestion-<plantId>`, so each plant's batches stay in order
 * on one replica); one replica is killed with SIGKILL mid-stream; the other takes over its
 * partitions after the session timeout; every window is reconciled exactly once in the event store
 * and the read model, and its BalanceReconciled reaches Kafka.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { EVENT_TYPES, type IntegrationEvent } from '@reflux/contracts';
import { createDevelopmentToken, GrpcPlatformServer, unary, type ServiceImplementation } from '@reflux/grpc';
import { KafkaEventBus } from '@reflux/messaging';
import { loadDemoPlant, PlantGraph, readDemoPlantDocument } from '@reflux/plant-model';
import { createSampleGenerator, dailyDemoScenario, dayStartMs } from '@reflux/plant-simulation';
import { loadProtoPackage } from '@reflux/proto';
import { createTestDatabase, freePort, kafkaBrokers, kafkaTestTopicSettings, type RunningProcess } from '@reflux/testing';
import { Client as PgClient } from 'pg';
import pino from 'pino';
import { startServiceProcess } from './support/service-processes';

jest.setTimeout(900_000);

const SECRET = 'kafka-scale-out-e2e-secret-of-32-characters';
const PLANTS = Array.from({ length: 8 }, (_, i) => `scale-out-${i + 1}`);
const WINDOW_MS = 60_000;
const INGESTION = 'reflux.ingestion.v1.IngestionService';
const logger = pino({ enabled: false });
const ts = (ms: number) => ({ seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 });
const tsMs = (t: { seconds: string; nanos: number }) => Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6);

/**
 * Ingestion's read side for balancing, answering from the plant simulator (every copy of the demo
 * plant shares its tags); each read takes `delayMs`, so a window takes a while and a kill lands
 * mid-stream.
 */
function simulatedIngestion(delayMs: number): ServiceImplementation {
  const graph = new PlantGraph(loadDemoPlant('petrochemical'));
  const generator = createSampleGenerator(graph, dailyDemoScenario(graph, dayStartMs(Date.now()), 11));
  const value = (tagId: string, t: number) => generator.sample(tagId, t).value;
  const pause = () => new Promise((r) => setTimeout(r, delayMs));
  const impl: Record<string, ServiceImplementation[string]> = {};
  for (const method of Object.keys(loadProtoPackage('reflux/ingestion/v1/ingestion.proto')[INGESTION] as ServiceDefinition)) impl[method] = unary(['viewer'], () => ({}));
  impl['WriteMeasurements'] = { kind: 'bidiStream', roles: ['ingest'], handler: async function* () {} };
  impl['ListTags'] = unary(['viewer'], () => ({ tags: [], nextPageToken: '' }));
  impl['ReadAggregates'] = unary(['viewer'], async (r: { tagIds: string[]; range: { startTime: { seconds: string; nanos: number }; endTime: { seconds: string; nanos: number } }; bucketWidth: { seconds: string } }) => {
    await pause();
    const [from, to, width] = [tsMs(r.range.startTime), tsMs(r.range.endTime), Number(r.bucketWidth.seconds) * 1000];
    return {
      series: r.tagIds.map((tagId) => ({
        tagId,
        unit: '',
        buckets: Array.from({ length: Math.ceil((to - from) / width) }, (_, i) => from + i * width).map((start) => ({
          startTime: ts(start),
          endTime: ts(start + width),
          count: '10',
          goodShareRatio: 1,
          timeWeightedAvg: value(tagId, start),
        })),
      })),
    };
  });
  impl['ReadInterpolated'] = unary(['viewer'], async (r: { tagIds: string[]; times: { seconds: string; nanos: number }[] }) => {
    await pause();
    return { series: r.tagIds.map((tagId) => ({ tagId, unit: '', values: r.times.map((t) => ({ time: t, value: value(tagId, tsMs(t)), quality: 0xc0 })) })) };
  });
  return impl;
}

/** MeasurementsIngested of one plant for one window, as ingestion's outbox publishes it. */
function ingested(plantId: string, startMs: number): IntegrationEvent {
  return {
    eventId: randomUUID(),
    type: EVENT_TYPES.MeasurementsIngested,
    schemaVersion: 1,
    source: 'ingestion',
    subject: `ingestion-${plantId}`,
    occurredAt: new Date().toISOString(),
    correlationId: randomUUID(),
    data: { plantId, batchId: `${plantId}-${startMs}`, tagIds: ['FI-1043'], timeRange: { start: new Date(startMs).toISOString(), end: new Date(startMs + WINDOW_MS).toISOString() }, samplesAccepted: 6, samplesRejected: 0 },
  };
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The plant (of PLANTS) of each "balance window reconciled" line a replica printed. */
const reconciledPlants = (output: string): string[] => [...output.matchAll(/"streamId":"balance-(scale-out-\d+)-/g)].map((m) => m[1]!);

describe('two balancing replicas in one Kafka consumer group', () => {
  it('share the plants by partition, and the survivor of a SIGKILL takes over: every window reconciled exactly once', async () => {
    const db = await createTestDatabase('kafka_scale_out');
    const dir = mkdtempSync(join(tmpdir(), 'reflux-scale-out-'));
    const server = new GrpcPlatformServer({ config: { host: '127.0.0.1', port: 0, auth: { jwt: { hs256Secrets: [SECRET], development: true } } }, logger });
    server.addService(loadProtoPackage('reflux/ingestion/v1/ingestion.proto'), INGESTION, simulatedIngestion(150));
    await server.start();
    const bus = new KafkaEventBus({ brokers: kafkaBrokers(), clientId: 'scale-out-e2e', logger, idempotent: false, heartbeatIntervalMs: 300, ...kafkaTestTopicSettings() });
    const relayed: IntegrationEvent[] = [];
    const replicas: Record<'a' | 'b', RunningProcess & { output(): string }> = {} as never;
    const pg = new PgClient({ connectionString: db.url });
    try {
      const document = readDemoPlantDocument('petrochemical');
      const files = PLANTS.map((plantId) => {
        const file = join(dir, `${plantId}.yaml`);
        writeFileSync(file, document.replace(/^plantId: .*$/m, `plantId: ${plantId}`));
        return file;
      });
      // Both topics exist before the replicas subscribe (the mock cluster creates them on first use).
      await bus.publish(ingested('not-a-plant', Date.now() - 3_600_000));
      await bus.subscribe({ group: `scale-out-reader-${randomUUID()}`, types: [EVENT_TYPES.BalanceReconciled], handler: async (e) => void relayed.push(e) });

      const env = (replica: string) => ({
        SERVICE_NAME: 'balancing',
        DATABASE_URL: db.url,
        GRPC_PORT: '0',
        AUTH_JWT_SECRET: SECRET,
        AUTH_JWT_DEVELOPMENT: 'true',
        // a token per replica: the ingestion side sees who read what
        INGESTION_TOKEN: createDevelopmentToken(SECRET, ['viewer'], `replica-${replica}`),
        INGESTION_ADDRESS: `127.0.0.1:${server.port}`,
        PLANT_MODEL_FILES: files.join(','),
        EVENT_BUS: 'kafka',
        KAFKA_BROKERS: kafkaBrokers().join(','),
        KAFKA_CLIENT_ID: `balancing-${replica}`,
        KAFKA_PRODUCER_IDEMPOTENT: 'false',
        KAFKA_TOPIC_CREATE: 'false',
        KAFKA_TOPIC_AUTO_CREATE: 'true',
        BALANCE_WINDOW_S: '60',
        BALANCE_SETTLE_S: '0',
        BALANCE_SCHEDULE_INTERVAL_S: '0',
        BALANCE_TRIGGER_ON_INGEST: 'true',
      });
      // librdkafka's mock cluster now and then answers a SyncGroup of a joining member with
      // INVALID_REQUEST, which kafkajs does not retry; that start fails (naming the group) and is
      // tried once more, as Kubernetes would restart the pod.
      const start = async (replica: 'a' | 'b') => {
        const once = async () => startServiceProcess('services/balancing/src/main.ts', { ...env(replica), GRPC_PORT: String(await freePort()) }, 'balancing service started');
        return once().catch(once);
      };
      [replicas.a, replicas.b] = await Promise.all([start('a'), start('b')]);

      const base = Math.floor((Date.now() - 3 * 3_600_000) / WINDOW_MS) * WINDOW_MS;
      const windows = [0, 1, 2, 3].map((i) => base + i * WINDOW_MS);
      // wave 1: both replicas get plants once the group has balanced
      await bus.publish(PLANTS.map((p) => ingested(p, windows[0]!)));
      await until(async () => (reconciledPlants(replicas.a.output()).length > 0 && reconciledPlants(replicas.b.output()).length > 0 ? true : undefined), 240_000, 'both replicas to reconcile a window');
      await until(async () => (reconciledPlants(replicas.a.output()).length + reconciledPlants(replicas.b.output()).length >= PLANTS.length ? true : undefined), 240_000, 'wave 1');
      const plantsOfA = new Set(reconciledPlants(replicas.a.output()));
      const plantsOfB = new Set(reconciledPlants(replicas.b.output()));
      // shared by partition: no plant (key) went to both replicas
      expect([...plantsOfA].filter((p) => plantsOfB.has(p))).toEqual([]);

      // wave 2, then kill A while it is working through its share
      await bus.publish(PLANTS.flatMap((p) => [ingested(p, windows[1]!), ingested(p, windows[2]!)]));
      await until(async () => (reconciledPlants(replicas.a.output()).length > plantsOfA.size ? true : undefined), 120_000, 'replica a to work on wave 2');
      replicas.a.child.kill('SIGKILL');
      // wave 3 after the kill
      await bus.publish(PLANTS.map((p) => ingested(p, windows[3]!)));

      const expected = PLANTS.flatMap((p) => windows.map((w) => `balance-${p}-`.concat(new Date(w).toISOString().replace(/[-:]|\.\d+/g, ''))));
      await pg.connect();
      const reconciled = await until(
        async () => {
          const { rows } = await pg.query<{ stream_id: string; n: string }>(`SELECT stream_id, count(*) AS n FROM reflux_events WHERE type = 'BalanceReconciled' AND stream_id LIKE 'balance-scale-out-%' GROUP BY stream_id`);
          return rows.length >= expected.length ? rows : undefined;
        },
        300_000,
        'every window of every plant to be reconciled',
      );
      // exactly once per window, none missing, none extra
      expect(reconciled.map((r) => Number(r.n))).toEqual(reconciled.map(() => 1));
      expect(reconciled.map((r) => r.stream_id.replace(/-\d{8}T\d{6}Z$/, '')).sort()).toEqual(expected.sort());
      // the read model (projection of the event log) catches up to one row per window, no more
      const rowsOf = async () => Number((await pg.query<{ n: string }>(`SELECT count(*) AS n FROM balancing_windows WHERE plant_id LIKE 'scale-out-%'`)).rows[0]!.n);
      await until(async () => ((await rowsOf()) >= expected.length ? true : undefined), 60_000, 'the read model');
      expect(await rowsOf()).toBe(expected.length);
      // B took over A's plants: it reconciled windows of plants A had before the kill
      const takenOver = reconciledPlants(replicas.b.output()).filter((p) => plantsOfA.has(p));
      expect(takenOver.length).toBeGreaterThan(0);
      // and every window's BalanceReconciled reached Kafka (at-least-once: repeats carry the same event id)
      await until(async () => (new Set(relayed.filter((e) => e.subject.startsWith('balance-scale-out-')).map((e) => e.subject)).size >= expected.length ? true : undefined), 120_000, 'the relayed events');
      const ids = new Map<string, Set<string>>();
      for (const e of relayed.filter((x) => x.subject.startsWith('balance-scale-out-'))) ids.set(e.subject, (ids.get(e.subject) ?? new Set()).add(e.eventId));
      expect([...ids.values()].map((s) => s.size)).toEqual([...ids.values()].map(() => 1));
    } finally {
      await pg.end().catch(() => undefined);
      for (const r of Object.values(replicas)) await r.stop('SIGTERM').catch(() => undefined);
      await bus.close();
      await server.shutdown(0);
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
