import { randomUUID } from 'node:crypto';
import { EVENT_TYPES, type IntegrationEvent } from '@reflux/contracts';
import { KafkaEventBus } from '@reflux/messaging';
import { createTestDatabase, kafkaBrokers, kafkaIdempotenceSupported, kafkaTestTopicSettings } from '@reflux/testing';
import pino from 'pino';
import { balanceStreamId } from './domain/balance-window';
import { startBalancingApp, type BalancingApp } from './balancing.app';
import { BIASED_TAG, demoDocument, demoGraph, DEMO_PLANT_ID, eventually, FakeHistorySource, faultyDemoAverages, LEAKING_UNIT } from '../test/fixtures/demo-scenario';

const logger = pino({ enabled: false });
// The librdkafka mock cluster hands out no producer ids: idempotence only against a real broker.
const idempotent = kafkaIdempotenceSupported();

describe('balancing with EVENT_BUS=kafka', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: BalancingApp;
  let consumerBus: KafkaEventBus;
  const received: IntegrationEvent[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('balancing_kafka');
    app = await startBalancingApp({
      databaseUrl: db.url,
      grpc: { host: '127.0.0.1', port: 0, auth: { disabled: true } },
      plantModels: [{ document: demoDocument(), format: 'yaml', origin: 'demo' }],
      history: new FakeHistorySource(faultyDemoAverages(demoGraph(), 3600)),
      logger,
      reconciler: { alpha: 0.05, sigmaSource: 'tag', spreadBuckets: 12, minGoodShare: 0.5, minCoverage: 0.9 },
      trigger: { windowS: 3600, settleS: 300, lookbackWindows: 1 },
      scheduleIntervalMs: 0,
      triggerOnIngest: true,
      kafka: { brokers: kafkaBrokers(), clientId: 'balancing-kafka-test', idempotent, ...kafkaTestTopicSettings() },
    });
    consumerBus = new KafkaEventBus({ brokers: kafkaBrokers(), clientId: 'balancing-kafka-test-reader', logger, idempotent, heartbeatIntervalMs: 300, ...kafkaTestTopicSettings() });
    await consumerBus.subscribe({
      group: `balancing-reader-${randomUUID()}`,
      types: [EVENT_TYPES.BalanceReconciled, EVENT_TYPES.GrossErrorSuspected, EVENT_TYPES.LossSuspected, EVENT_TYPES.PlantModelVersioned],
      handler: async (event) => {
        received.push(event);
      },
    });
  }, 120_000);

  afterAll(async () => {
    await consumerBus?.close();
    await app?.stop();
    await db?.drop();
  });

  it('relays the balance events of a reconciled window from the outbox to Kafka', async () => {
    const window = { start: new Date('2026-11-23T10:00:00Z'), end: new Date('2026-11-23T11:00:00Z') };
    await app.reconciler.reconcileWindow({ plantId: DEMO_PLANT_ID, window, trigger: 'test' });
    const subject = balanceStreamId(DEMO_PLANT_ID, window);
    const events = await eventually(async () => {
      const mine = received.filter((e) => e.subject === subject);
      return mine.length >= 3 ? mine : undefined;
    }, 30_000, 'the relayed balance events');
    expect(events.map((e) => e.type)).toEqual([EVENT_TYPES.BalanceReconciled, EVENT_TYPES.GrossErrorSuspected, EVENT_TYPES.LossSuspected]);
    expect(events[1].data).toMatchObject({ tagId: BIASED_TAG });
    expect(events[2].data).toMatchObject({ unitId: LEAKING_UNIT });
    expect(received.some((e) => e.type === EVENT_TYPES.PlantModelVersioned && (e.data as { plantId: string }).plantId === DEMO_PLANT_ID)).toBe(true);
  });

  it('reconciles the window a MeasurementsIngested from Kafka completes', async () => {
    await consumerBus.publish({
      eventId: randomUUID(),
      type: EVENT_TYPES.MeasurementsIngested,
      schemaVersion: 1,
      source: 'ingestion',
      subject: 'ingestion-batch-kafka-1',
      occurredAt: new Date().toISOString(),
      correlationId: 'kafka-batch-1',
      data: { plantId: DEMO_PLANT_ID, batchId: 'kafka-batch-1', tagIds: [BIASED_TAG], timeRange: { start: '2026-11-23T13:10:00Z', end: '2026-11-23T14:00:00Z' }, samplesAccepted: 5, samplesRejected: 0 },
    });
    const window = { start: new Date('2026-11-23T13:00:00Z'), end: new Date('2026-11-23T14:00:00Z') };
    const stored = await eventually(async () => {
      const events = await app.store.readStream(balanceStreamId(DEMO_PLANT_ID, window));
      return events.length > 0 ? events : undefined;
    }, 30_000, 'the window completed by the batch');
    expect(stored[0]).toMatchObject({ type: 'BalanceReconciled', metadata: { trigger: 'measurements-ingested' } });
  });
});
