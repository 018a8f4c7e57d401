import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { credentials, loadPackageDefinition, type Client, type ServiceError } from '@grpc/grpc-js';
import { EVENT_TYPES, integrationEvents } from '@reflux/contracts';
import { PostgresEventStore } from '@reflux/event-store';
import { loadPlatformProto } from '@reflux/grpc';
import { KafkaEventBus, TransactionalOutbox } from '@reflux/messaging';
import { kafkaBrokers, kafkaIdempotenceSupported, kafkaTestTopicSettings, startTcpProxy, type TcpProxy, testStorageMode } from '@reflux/testing';
import { INGESTION_SERVICE } from './adapters/grpc/ingestion.grpc-service';
import { InMemoryTagCatalog } from './application/in-memory-tag-catalog';
import { INGESTION_OUTBOX_CATEGORY, startIngestionApp, type IngestionApp } from './ingestion.app';
import { createTestDatabase, logger, tag } from '../test/fixture';

/** SHUTDOWN_GRACE_MS's default: the budget of a service's shutdown. */
const DRAIN_TIMEOUT_MS = 10_000;

type HealthClient = Client & { Check: (req: { service: string }, cb: (e: ServiceError | null, r: { status: string }) => void) => void };

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The outbox relay's broker goes away behind a loopback TCP proxy; a reader connected directly sees what arrives. */
describe('ingestion health and shutdown during a Kafka broker outage', () => {
  const plantId = `outage-${randomUUID().slice(0, 8)}`;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let proxy: TcpProxy;
  let app: IngestionApp | undefined;
  let health: HealthClient;
  let reader: KafkaEventBus;
  let outbox: TransactionalOutbox;
  let store: PostgresEventStore;
  const received = new Set<string>();
  const check = () => new Promise<string>((resolve, reject) => health.Check({ service: INGESTION_SERVICE }, (e, r) => (e ? reject(e) : resolve(r.status))));
  const enqueue = async (batchId: string) => {
    const event = integrationEvents.create(
      EVENT_TYPES.MeasurementsIngested,
      { plantId, batchId, tagIds: ['FI-101'], timeRange: { start: '2026-11-23T13:10:00Z', end: '2026-11-23T14:00:00Z' }, samplesAccepted: 1, samplesRejected: 0 },
      { source: 'ingestion', subject: `ingestion-batch-${batchId}` },
    );
    await store.withTransaction((tx) => outbox.enqueue(event, tx));
    return event.eventId;
  };

  beforeAll(async () => {
    db = await createTestDatabase('ingestion_outage');
    const [host, port] = kafkaBrokers()[0]!.split(':');
    proxy = await startTcpProxy({ host: host!, port: Number(port) });
    app = await startIngestionApp({
      databaseUrl: db.url,
      databasePoolMax: 4,
      storage: { timescale: testStorageMode() },
      grpc: { host: '127.0.0.1', port: 0, auth: { disabled: true } },
      catalog: new InMemoryTagCatalog([tag('FI-101', { plantId, unit: 'kg/s' })]),
      logger,
      monitoring: { stuckAfterMs: 3_000 },
      bus: {
        kind: 'kafka',
        brokers: [`127.0.0.1:${proxy.port}`],
        clientId: 'ingestion-outage-test',
        idempotent: kafkaIdempotenceSupported(),
        ...kafkaTestTopicSettings(),
        client: { socketFactory: ({ onConnect }) => connect({ host: '127.0.0.1', port: proxy.port }, onConnect) },
      },
    });
    store = new PostgresEventStore({ pool: app.pool, logger });
    outbox = new TransactionalOutbox({ eventStore: store, category: INGESTION_OUTBOX_CATEGORY });
    reader = new KafkaEventBus({ brokers: kafkaBrokers(), clientId: 'ingestion-outage-reader', logger, idempotent: kafkaIdempotenceSupported(), heartbeatIntervalMs: 300, ...kafkaTestTopicSettings() });
    await reader.subscribe({
      group: `ingestion-outage-reader-${plantId}`,
      types: [EVENT_TYPES.MeasurementsIngested],
      handler: async (event) => {
        if ((event.data as { plantId: string }).plantId === plantId) received.add(event.eventId);
      },
    });
    const pkg = loadPackageDefinition(loadPlatformProto('grpc/health/v1/health.proto')) as unknown as {
      grpc: { health: { v1: { Health: new (a: string, c: ReturnType<typeof credentials.createInsecure>) => HealthClient } } };
    };
    health = new pkg.grpc.health.v1.Health(`127.0.0.1:${app.port}`, credentials.createInsecure());
  }, 120_000);

  afterAll(async () => {
    health?.close();
    await reader?.close();
    await app?.stop();
    await store?.close();
    await proxy?.close();
    await db?.drop();
  });

  it('turns NOT_SERVING while the relay cannot publish for longer than it may, and SERVING once the broker is back and the event arrived', async () => {
    expect(await check()).toBe('SERVING');
    await proxy.down();
    const eventId = await enqueue('b-1');
    await eventually(async () => ((await check()) === 'NOT_SERVING' ? true : undefined), 60_000, 'NOT_SERVING');
    expect(app!.health.get('relay:ingestion-outbox-relay')).toMatchObject({ state: 'failed', detail: expect.stringMatching(/MESSAGING\.PUBLISH_FAILED/) });
    await proxy.up();
    await eventually(async () => (received.has(eventId) ? true : undefined), 60_000, 'the event after the outage');
    await eventually(async () => ((await check()) === 'SERVING' ? true : undefined), 10_000, 'SERVING again');
  }, 150_000);

  it('stops within the drain timeout while the broker is unreachable', async () => {
    await proxy.down();
    await enqueue('b-2');
    await eventually(async () => (app!.health.get('relay:ingestion-outbox-relay')?.state === 'degraded' ? true : undefined), 60_000, 'the relay to see the outage');
    const started = Date.now();
    await app!.stop();
    app = undefined;
    expect(Date.now() - started).toBeLessThan(DRAIN_TIMEOUT_MS);
  }, 150_000);
});
