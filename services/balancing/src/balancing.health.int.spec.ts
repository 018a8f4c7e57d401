import { credentials, loadPackageDefinition, type Client, type ServiceError } from '@grpc/grpc-js';
import { EVENT_TYPES, integrationEvents } from '@reflux/contracts';
import { loadPlatformProto } from '@reflux/grpc';
import { PostgresEventBus } from '@reflux/messaging';
import { createTestDatabase } from '@reflux/testing';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { demoDocument, demoGraph, DEMO_PLANT_ID, eventually, FakeHistorySource, faultyDemoAverages } from '../test/fixtures/demo-scenario';
import type { HistoryQuery } from './application/history-source.port';
import { startBalancingApp, type BalancingApp } from './balancing.app';
import { MEASUREMENTS_CONSUMER_GROUP } from './adapters/bus/measurements-ingested.consumer';
import { balanceStreamId } from './domain/balance-window';
import { BALANCING_SERVICE } from './adapters/grpc/balancing.grpc-service';

type HealthClient = Client & { Check: (req: { service: string }, cb: (e: ServiceError | null, r: { status: string }) => void) => void };

function healthClient(port: number): HealthClient {
  const pkg = loadPackageDefinition(loadPlatformProto('grpc/health/v1/health.proto')) as unknown as {
    grpc: { health: { v1: { Health: new (a: string, c: ReturnType<typeof credentials.createInsecure>) => HealthClient } } };
  };
  return new pkg.grpc.health.v1.Health(`127.0.0.1:${port}`, credentials.createInsecure());
}

/** The ingestion service's history, unreachable while `down`. */
class FlakyHistory extends FakeHistorySource {
  down = true;
  override async readWindow(query: HistoryQuery) {
    if (this.down) throw Object.assign(new Error('14 UNAVAILABLE: ingestion is not answering'), { code: 'UNAVAILABLE' });
    return super.readWindow(query);
  }
}

describe('balancing health follows its bus consumer', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: BalancingApp;
  let client: HealthClient;
  const history = new FlakyHistory(faultyDemoAverages(demoGraph(), 3600));
  const check = (service: string) => new Promise<string>((resolve, reject) => client.Check({ service }, (e, r) => (e ? reject(e) : resolve(r.status))));

  beforeAll(async () => {
    db = await createTestDatabase('balancing_health');
    app = await startBalancingApp({
      databaseUrl: db.url,
      grpc: { host: '127.0.0.1', port: 0, auth: { disabled: true } },
      plantModels: [{ document: demoDocument(), format: 'yaml', origin: 'demo' }],
      history,
      logger: pino({ enabled: false }),
      reconciler: { alpha: 0.05, sigmaSource: 'tag', spreadBuckets: 12, minGoodShare: 0.5, minCoverage: 0.9 },
      trigger: { windowS: 3600, settleS: 300, lookbackWindows: 1 },
      scheduleIntervalMs: 0,
      triggerOnIngest: true,
      monitoring: { stuckAfterMs: 1_500 },
    });
    client = healthClient(app.port);
  });
  afterAll(async () => {
    client?.close();
    await app?.stop();
    await db?.drop();
  });

  it('turns NOT_SERVING while the consumer is stuck on an event it cannot handle yet, and SERVING once it went through, without dead-lettering it', async () => {
    expect(await check(BALANCING_SERVICE)).toBe('SERVING');
    const bus = new PostgresEventBus({ eventStore: app.store, logger: pino({ enabled: false }) });
    await bus.publish(
      integrationEvents.create(
        EVENT_TYPES.MeasurementsIngested,
        { plantId: DEMO_PLANT_ID, batchId: 'b-1', tagIds: ['FI-1043'], timeRange: { start: '2026-11-23T13:10:00Z', end: '2026-11-23T14:00:00Z' }, samplesAccepted: 5, samplesRejected: 0 },
        { source: 'ingestion', subject: `ingestion-batch-${randomUUID()}` },
      ),
    );
    const component = `consumer:${MEASUREMENTS_CONSUMER_GROUP}`;
    await eventually(async () => (app.health.get(component)?.state === 'degraded' ? true : undefined), 10_000, 'the consumer to hold the event');
    expect(await check(BALANCING_SERVICE)).toBe('SERVING');
    await eventually(async () => ((await check(BALANCING_SERVICE)) === 'NOT_SERVING' ? true : undefined), 10_000, 'NOT_SERVING');
    expect(await check('')).toBe('NOT_SERVING');
    expect(app.health.get(component)?.detail).toMatch(/BALANCING\.HISTORY_UNAVAILABLE/);

    history.down = false;
    await eventually(async () => ((await check(BALANCING_SERVICE)) === 'SERVING' ? true : undefined), 40_000, 'SERVING again');
    const window = { start: new Date('2026-11-23T13:00:00Z'), end: new Date('2026-11-23T14:00:00Z') };
    expect((await app.store.readStream(balanceStreamId(DEMO_PLANT_ID, window)))[0]).toMatchObject({ type: 'BalanceReconciled' });
    expect(await app.store.readStream(`$dlq-${MEASUREMENTS_CONSUMER_GROUP}`)).toEqual([]);
    await bus.close();
  }, 90_000);
});
