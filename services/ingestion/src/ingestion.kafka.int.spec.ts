import { randomUUID } from 'node:crypto';
import { credentials, loadPackageDefinition, Metadata, type Client, type ServiceError } from '@grpc/grpc-js';
import { EVENT_TYPES, type IntegrationEvent } from '@reflux/contracts';
import { PostgresEventStore } from '@reflux/event-store';
import { KafkaEventBus } from '@reflux/messaging';
import { kafkaBrokers, kafkaIdempotenceSupported, kafkaTestTopicSettings, testStorageMode } from '@reflux/testing';
import { loadProtoPackage } from '@reflux/proto';
import { toTimestamp } from './adapters/grpc/ingestion.grpc-mappers';
import { InMemoryTagCatalog } from './application/in-memory-tag-catalog';
import { INGESTION_OUTBOX_CATEGORY, startIngestionApp, type IngestionApp } from './ingestion.app';
import { createTestDatabase, logger, tag } from '../test/fixture';

// The librdkafka mock cluster hands out no producer ids: idempotence only against a real broker.
const idempotent = kafkaIdempotenceSupported();

type Unary = (req: unknown, md: Metadata, cb: (err: ServiceError | null, res: never) => void) => void;
type IngestionClient = Client & { Write: Unary };

async function eventually<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('ingestion with EVENT_BUS=kafka', () => {
  // Plants of this run only: the MeasurementsIngested topic of the mock cluster is shared by suites.
  const run = randomUUID().slice(0, 8);
  const [alpha, beta] = [`alpha-${run}`, `beta-${run}`];
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: IngestionApp;
  let client: IngestionClient;
  let consumer: KafkaEventBus;
  const received: IntegrationEvent[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('ingestion_kafka');
    app = await startIngestionApp({
      databaseUrl: db.url,
      databasePoolMax: 4,
      storage: { timescale: testStorageMode() },
      grpc: { host: '127.0.0.1', port: 0, auth: { disabled: true } },
      catalog: new InMemoryTagCatalog([tag('FI-101', { plantId: alpha, unit: 'kg/s' }), tag('TI-102', { plantId: alpha }), tag('FI-201', { plantId: beta, unit: 'kg/s' })]),
      logger,
      bus: { kind: 'kafka', brokers: kafkaBrokers(), clientId: 'ingestion-kafka-test', idempotent, ...kafkaTestTopicSettings() },
    });
    consumer = new KafkaEventBus({ brokers: kafkaBrokers(), clientId: 'ingestion-kafka-test-reader', logger, idempotent, heartbeatIntervalMs: 300, ...kafkaTestTopicSettings() });
    await consumer.subscribe({
      group: `ingestion-reader-${run}`,
      types: [EVENT_TYPES.MeasurementsIngested],
      handler: async (event) => {
        const plantId = (event.data as { plantId: string }).plantId;
        if (plantId === alpha || plantId === beta) received.push(event);
      },
    });
    const pkg = loadPackageDefinition(loadProtoPackage('reflux/ingestion/v1/ingestion.proto')) as unknown as {
      reflux: { ingestion: { v1: { IngestionService: new (a: string, c: ReturnType<typeof credentials.createInsecure>) => IngestionClient } } };
    };
    client = new pkg.reflux.ingestion.v1.IngestionService(`127.0.0.1:${app.port}`, credentials.createInsecure());
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await consumer?.close();
    await app?.stop();
    await db?.drop();
  });

  const write = (batch: unknown) =>
    new Promise<{ ack: { acceptedCount: number; duplicate: boolean } }>((resolve, reject) => client.Write({ batch }, new Metadata(), (err, res) => (err ? reject(err) : resolve(res))));

  it('publishes MeasurementsIngested of a batch written over gRPC to Kafka, one event per plant, once for a retried batch', async () => {
    const t0 = Math.floor((Date.now() - 600_000) / 1000) * 1000;
    const batch = {
      clientBatchId: `kafka-${run}`,
      samples: [
        { tagId: 'FI-101', time: toTimestamp(t0), value: 12.5 },
        { tagId: 'TI-102', time: toTimestamp(t0 + 2_000), value: 85 },
        { tagId: 'FI-201', time: toTimestamp(t0 + 1_000), value: 3.25 },
        { tagId: 'XX-999', time: toTimestamp(t0), value: 1 },
      ],
    };
    expect((await write(batch)).ack).toMatchObject({ acceptedCount: 3, duplicate: false });
    expect((await write(batch)).ack).toMatchObject({ acceptedCount: 3, duplicate: true });

    const events = await eventually(() => (received.length >= 2 ? received : undefined), 30_000, 'MeasurementsIngested from Kafka');
    const byPlant = Object.fromEntries(events.map((e) => [(e.data as { plantId: string }).plantId, e]));
    expect(byPlant[alpha]).toMatchObject({
      type: EVENT_TYPES.MeasurementsIngested,
      source: 'ingestion',
      subject: `ingestion-${alpha}`,
      data: {
        plantId: alpha,
        batchId: batch.clientBatchId,
        tagIds: ['FI-101', 'TI-102'],
        timeRange: { start: new Date(t0).toISOString(), end: new Date(t0 + 2_001).toISOString() },
        samplesAccepted: 2,
      },
    });
    expect(byPlant[beta]).toMatchObject({ subject: `ingestion-${beta}`, data: { plantId: beta, tagIds: ['FI-201'], samplesAccepted: 1 } });
    // The retried batch wrote nothing and published nothing; the events went through the service's own outbox.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(received).toHaveLength(2);
    const store = new PostgresEventStore({ pool: app.pool, logger });
    const outboxed = await store.readAll({ category: INGESTION_OUTBOX_CATEGORY });
    await store.close();
    expect(outboxed.map((e) => [e.streamId, e.eventId]).sort()).toEqual(events.map((e) => [`${INGESTION_OUTBOX_CATEGORY}${e.subject}`, e.eventId]).sort());
  });
});
