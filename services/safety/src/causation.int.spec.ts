import { integrationEvents } from '@reflux/contracts';
import { PostgresEventStore, type RecordedEvent } from '@reflux/event-store';
import { PostgresEventBus } from '@reflux/messaging';
import { createTestDatabase } from '@reflux/testing';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import pino from 'pino';
import { eventually, MemorySampleHistory } from '../test/fixtures/memory-sample-history';
import { startSafetyApp, type SafetyApp } from './safety.app';

const SECRET = 'safety-causation-secret-of-32-characters!';
const PLANT = 'causation-plant';
const T0 = Date.UTC(2026, 0, 7, 3, 0, 0);
const s = (seconds: number) => T0 + seconds * 1000;

const CONFIG = {
  plantId: PLANT,
  units: [
    { unitId: 'K-1', area: 'gas', rule: { kind: 'thresholds', signals: [{ tagId: 'SI-1', minRunning: 1000 }], delayS: 0 } },
    { unitId: 'K-2', area: 'gas', rule: { kind: 'thresholds', signals: [{ tagId: 'SI-2', minRunning: 1000 }], delayS: 30 } },
  ],
  tags: [
    { tagId: 'PI-1', area: 'gas', console: 'c1', engineeringUnit: 'barg', limits: { HH: { value: 10, priority: 'high' } }, deadband: 0.5, onDelayS: 0, offDelayS: 0 },
    { tagId: 'SI-1', area: 'gas', console: 'c1', unitId: 'K-1', engineeringUnit: 'rpm' },
    { tagId: 'SI-2', area: 'gas', console: 'c1', unitId: 'K-2', engineeringUnit: 'rpm' },
    { tagId: 'TI-3', area: 'gas', console: 'c1', engineeringUnit: 'degC', limits: { H: { value: 150, priority: 'medium' } }, trend: { windowS: 120, horizonS: 1800, everyS: 10, consecutive: 3, minPoints: 10 } },
  ],
};

/**
 * CAUSATION CONTRACT in the safety service: every integration event decided on the samples of a
 * `MeasurementsIngested` batch names that batch's event as its cause and carries its correlation on.
 */
describe('causation of the safety service’s events', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  let store: PostgresEventStore;
  let bus: PostgresEventBus;
  let app: SafetyApp | undefined;
  const history = new MemorySampleHistory();

  /** Stores samples where ReadRaw finds them and publishes their MeasurementsIngested with a correlation id of its own. */
  const ingest = async (samples: [string, number, number][]) => {
    history.add(samples.map(([tagId, sec, value]) => ({ tagId, timeMs: s(sec), value, quality: 0 })));
    const times = samples.map(([, sec]) => s(sec));
    const event = integrationEvents.create(
      'MeasurementsIngested',
      {
        plantId: PLANT,
        batchId: randomUUID(),
        tagIds: [...new Set(samples.map(([t]) => t))],
        timeRange: { start: new Date(Math.min(...times)).toISOString(), end: new Date(Math.max(...times) + 1).toISOString() },
        samplesAccepted: samples.length,
        samplesRejected: 0,
      },
      { source: 'ingestion', subject: `plant-${PLANT}`, correlationId: `ingest-${randomUUID()}` },
    );
    await bus.publish(event);
    return event;
  };
  const published = (type: string, count = 1) =>
    eventually(async () => {
      const events = await store.readAll({ category: 'integration-', eventTypes: [type] });
      return events.length >= count ? events : undefined;
    }, 20_000, `${count} ${type}`);
  const causationOf = (e: RecordedEvent) => ({ causationId: e.metadata['causationId'], correlationId: e.metadata['correlationId'] });

  beforeAll(async () => {
    db = await createTestDatabase('safety_causation');
    pool = new Pool({ connectionString: db.url, max: 3 });
    app = await startSafetyApp({
      databaseUrl: db.url,
      grpc: { host: '127.0.0.1', port: 0, auth: { jwt: { hs256Secrets: [SECRET], development: true } } },
      alarmConfigs: [{ document: CONFIG, origin: 'test' }],
      history,
      logger: pino({ enabled: false }),
      tickIntervalMs: 0,
      holdGraceMs: 0,
    });
    store = new PostgresEventStore({ pool, logger: pino({ enabled: false }) });
    bus = new PostgresEventBus({ eventStore: store, logger: pino({ enabled: false }) });
  });

  afterAll(async () => {
    await app?.stop();
    await bus?.close();
    await store?.close();
    await pool?.end();
    await db?.drop();
  });

  it('names the MeasurementsIngested whose samples tripped the unit on UnitStateChanged, UnitTripped and AlarmRaised', async () => {
    const running = await ingest([['SI-1', 0, 3000], ['PI-1', 0, 5]]);
    const [started] = await published('UnitStateChanged');
    expect(causationOf(started!)).toEqual({ causationId: running.eventId, correlationId: running.correlationId });

    const trip = await ingest([['SI-1', 10, 5], ['PI-1', 11, 12]]);
    const [tripped] = await published('UnitTripped');
    expect(causationOf(tripped!)).toEqual({ causationId: trip.eventId, correlationId: trip.correlationId });
    const changes = await published('UnitStateChanged', 2);
    expect(changes.map(causationOf)).toEqual([
      { causationId: running.eventId, correlationId: running.correlationId },
      { causationId: trip.eventId, correlationId: trip.correlationId },
    ]);
    const [raised] = await published('AlarmRaised');
    expect(causationOf(raised!)).toEqual({ causationId: trip.eventId, correlationId: trip.correlationId });
  });

  it('names the MeasurementsIngested whose samples predicted the limit on EarlyWarningRaised', async () => {
    const ramp: [string, number, number][] = [];
    for (let t = 100; t < 200; t++) ramp.push(['TI-3', t, 100 + 0.1 * (t - 100)]); // 150 °C reached in 500 s, within the 1800 s horizon
    const batch = await ingest(ramp);
    const [warning] = await published('EarlyWarningRaised');
    expect((warning!.data as { trend?: { tagId: string } }).trend?.tagId).toBe('TI-3');
    expect(causationOf(warning!)).toEqual({ causationId: batch.eventId, correlationId: batch.correlationId });
  });

  it('names the batch whose samples started the delay when the timer completes a trip on a quiet signal', async () => {
    await ingest([['SI-2', 300, 3000], ['SI-2', 330, 3000], ['SI-2', 331, 3000]]);
    await published('UnitStateChanged', 3); // K-2 running (after its 30 s delay, within the batch)
    const stop = await ingest([['SI-2', 340, 5]]); // one sample: the delay runs out only on the timer
    await eventually(async () => ((await pool.query('SELECT 1 FROM safety_processed_batches WHERE batch_key = $1', [stop.eventId])).rowCount ? true : undefined), 20_000, 'the stop batch');
    expect((await store.readAll({ category: 'integration-', eventTypes: ['UnitTripped'] })).length).toBe(1);
    await app!.tick();
    const trips = await published('UnitTripped', 2);
    expect(trips[1]!.data).toMatchObject({ unitId: 'K-2', trippedAt: new Date(s(370)).toISOString() });
    expect(causationOf(trips[1]!)).toEqual({ causationId: stop.eventId, correlationId: stop.correlationId });
  });
});
