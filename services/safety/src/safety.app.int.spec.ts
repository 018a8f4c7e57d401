import { status } from '@grpc/grpc-js';
import { integrationEvents } from '@reflux/contracts';
import { PostgresEventStore } from '@reflux/event-store';
import { createDevelopmentToken, decodeGrpcError } from '@reflux/grpc';
import { PostgresEventBus } from '@reflux/messaging';
import type { refluxSafetyV1 as v1 } from '@reflux/proto';
import { createTestDatabase } from '@reflux/testing';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import pino from 'pino';
import { eventually, MemorySampleHistory } from '../test/fixtures/memory-sample-history';
import { bearer, callSafety, safetyClient, type SafetyClient } from './adapters/grpc/safety.grpc-client';
import { alarmStreamId } from './application/alarm-ledger';
import type { EarlyWarningMonitor, EvaluatedBatch } from './application/early-warning.port';
import { startSafetyApp, type SafetyApp } from './safety.app';

const SECRET = 'safety-int-secret-of-at-least-32-characters';
const operator = createDevelopmentToken(SECRET, ['operator'], 'op-7');
const viewer = createDevelopmentToken(SECRET, ['viewer'], 'viewer-1');
const PLANT = 'test-plant';
const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const s = (seconds: number) => T0 + seconds * 1000;

const CONFIG = {
  plantId: PLANT,
  tags: [
    { tagId: 'PI-1', area: 'gas', console: 'c1', engineeringUnit: 'barg', limits: { HH: { value: 10, priority: 'high' }, H: { value: 8, priority: 'low' } }, deadband: 0.5, onDelayS: 5, offDelayS: 0 },
    { tagId: 'FI-2', area: 'gas', console: 'c1', unitId: 'K-1', engineeringUnit: 't/h', limits: { L: { value: 20, priority: 'medium' } }, suppressInStates: ['tripped', 'shutdown'] },
  ],
  units: [{ unitId: 'K-1', area: 'gas', rule: { kind: 'thresholds', signals: [{ tagId: 'SI-1', minRunning: 1000 }], delayS: 0 } }],
};

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return decodeGrpcError(error);
  }
  throw new Error('the call succeeded');
}

describe('safety service on PostgreSQL and gRPC', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  let store: PostgresEventStore;
  let bus: PostgresEventBus;
  let history: MemorySampleHistory;
  let app: SafetyApp | undefined;
  let client: SafetyClient;
  const observed: EvaluatedBatch[] = [];
  const recorder: EarlyWarningMonitor = { name: 'recorder', observe: async (batch) => void observed.push(batch) };

  const start = async () => {
    app = await startSafetyApp({
      databaseUrl: db.url,
      grpc: { host: '127.0.0.1', port: 0, auth: { jwt: { hs256Secrets: [SECRET], development: true } } },
      alarmConfigs: [{ document: CONFIG, origin: 'test' }],
      history,
      logger: pino({ enabled: false }),
      tickIntervalMs: 0,
      holdGraceMs: 0,
      earlyWarning: [recorder],
    });
    client = safetyClient(`127.0.0.1:${app.port}`);
  };

  /** Stores samples where ReadRaw finds them and publishes their MeasurementsIngested, as ingestion does. */
  const ingest = async (samples: [string, number, number, number?][], eventId = randomUUID()) => {
    history.add(samples.map(([tagId, sec, value, quality]) => ({ tagId, timeMs: s(sec), value, quality: quality ?? 0 })));
    const times = samples.map(([, sec]) => s(sec));
    const event = integrationEvents.create(
      'MeasurementsIngested',
      {
        plantId: PLANT,
        batchId: eventId,
        tagIds: [...new Set(samples.map(([t]) => t))],
        timeRange: { start: new Date(Math.min(...times)).toISOString(), end: new Date(Math.max(...times) + 1).toISOString() },
        samplesAccepted: samples.length,
        samplesRejected: 0,
      },
      { source: 'ingestion', subject: `plant-${PLANT}`, eventId },
    );
    await bus.publish(event);
    return eventId;
  };
  const alarmEvents = async (alarmId: string) => (await store.readStream(alarmStreamId(PLANT, alarmId))).map((e) => [e.type, (e.data as { at: string }).at]);
  const published = async (type: string) => (await store.readAll({ category: 'integration-', eventTypes: [type] })).map((e) => e.data as Record<string, unknown>);

  beforeAll(async () => {
    db = await createTestDatabase('safety_app');
    pool = new Pool({ connectionString: db.url, max: 3 });
    history = new MemorySampleHistory();
    await start();
    store = new PostgresEventStore({ pool, logger: pino({ enabled: false }) });
    bus = new PostgresEventBus({ eventStore: store, logger: pino({ enabled: false }) });
  });

  afterAll(async () => {
    client?.close();
    await app?.stop();
    await bus?.close();
    await store?.close();
    await pool?.end();
    await db?.drop();
  });

  it('raises HH after its on-delay from an ingested batch, publishes AlarmRaised and lists it as unacknowledged', async () => {
    const watch = client.watchAlarms({ plantId: PLANT, includeCurrent: false }, bearer(viewer));
    const seen: v1.WatchAlarmsResponse[] = [];
    watch.on('data', (m: v1.WatchAlarmsResponse) => seen.push(m));
    watch.on('error', () => undefined);
    await eventually(() => (app!.hub.size > 0 ? true : undefined));

    await ingest([['PI-1', 0, 7], ['PI-1', 1, 11], ['PI-1', 3, 11.5], ['PI-1', 7, 11.2]]);
    const events = await eventually(async () => {
      const e = await alarmEvents('PI-1/HH');
      return e.length > 0 ? e : undefined;
    });
    expect(events).toEqual([['AlarmRaised', new Date(s(6)).toISOString()]]);
    expect(await alarmEvents('PI-1/H')).toEqual([['AlarmRaised', new Date(s(6)).toISOString()]]);
    const raised = await eventually(async () => ((await published('AlarmRaised')).length === 2 ? await published('AlarmRaised') : undefined));
    expect(raised).toContainEqual(expect.objectContaining({ plantId: PLANT, alarmId: 'PI-1/HH', kind: 'HH', priority: 'high', value: 11.5, limit: 10, raisedAt: new Date(s(6)).toISOString() }));

    const list = await callSafety(client, client.listActiveAlarms, { plantId: PLANT, priority: 'ALARM_PRIORITY_HIGH' as v1.AlarmPriority } as v1.ListActiveAlarmsRequest, viewer);
    expect(list.alarms.map((a) => [a.alarmId, a.status, a.value, a.limit])).toEqual([['PI-1/HH', 'ALARM_STATUS_UNACKNOWLEDGED_ACTIVE', 11.5, 10]]);
    await eventually(() => (seen.length >= 2 ? true : undefined));
    expect(seen.map((m) => [m.alarm!.alarmId, m.eventType]).sort()).toEqual([
      ['PI-1/H', 'AlarmRaised'],
      ['PI-1/HH', 'AlarmRaised'],
    ]);
    watch.cancel();
  });

  it('ignores a redelivered batch and late samples: nothing is raised or cleared twice', async () => {
    const id = await ingest([['PI-1', 8, 12]]);
    await eventually(async () => ((await pool.query('SELECT 1 FROM safety_processed_batches WHERE batch_key = $1', [id])).rowCount === 1 ? true : undefined));
    await ingest([['PI-1', 8, 12]], id); // same event id: a redelivery
    await ingest([['PI-1', 2, 1]]); // older than what was evaluated: late
    await app!.plants.get(PLANT)!.queue.idle();
    await new Promise((r) => setTimeout(r, 300));
    await app!.plants.get(PLANT)!.queue.idle();
    expect(await alarmEvents('PI-1/HH')).toHaveLength(1);
    expect(app!.plants.get(PLANT)!.engine.late).toBeGreaterThanOrEqual(1);
    // early-warning models see each batch once, in time order, without the late sample
    expect(observed.filter((b) => b.batchKey === id)).toHaveLength(1);
    expect(observed[0].samples.map((x) => x.timeMs)).toEqual([s(0), s(1), s(3), s(7)]);
    expect(observed.flatMap((b) => b.samples).some((x) => x.timeMs === s(2))).toBe(false);
  });

  it('acknowledges as an operator, refuses viewers, unknown alarms and shelves without expiry, field by field', async () => {
    const ack = await callSafety(client, client.acknowledgeAlarm, { plantId: PLANT, alarmId: 'PI-1/HH', reason: 'seen' }, operator);
    expect(ack.alarm).toMatchObject({ status: 'ALARM_STATUS_ACKNOWLEDGED_ACTIVE', acknowledged: true });
    expect((await failure(callSafety(client, client.acknowledgeAlarm, { plantId: PLANT, alarmId: 'PI-1/H', reason: '' }, viewer))).status).toBe(status.PERMISSION_DENIED);
    expect((await failure(callSafety(client, client.acknowledgeAlarm, { plantId: PLANT, alarmId: 'PI-1/HH', reason: '' }, operator))).code).toBe('ALARM.NOT_ACKNOWLEDGEABLE');
    const unknown = await failure(callSafety(client, client.acknowledgeAlarm, { plantId: PLANT, alarmId: 'XX-9/H', reason: '' }, operator));
    expect(unknown.status).toBe(status.NOT_FOUND);
    const shelf = await failure(callSafety(client, client.shelveAlarm, { plantId: PLANT, alarmId: 'PI-1/H', reason: '', expiryTime: null }, operator));
    expect(shelf.status).toBe(status.INVALID_ARGUMENT);
    expect(shelf.fieldViolations.map((v) => v.field).sort()).toEqual(['expiry_time', 'reason']);
    const events = await store.readStream(alarmStreamId(PLANT, 'PI-1/HH'));
    expect(events.map((e) => [e.type, e.metadata.actor])).toEqual([
      ['AlarmRaised', 'system'],
      ['AlarmAcknowledged', 'op-7'],
    ]);
  });

  it('shelves with a reason until an expiry, and the timer unshelves it then', async () => {
    const expiry = Date.now() + 60_000;
    const shelved = await callSafety(
      client,
      client.shelveAlarm,
      { plantId: PLANT, alarmId: 'PI-1/H', reason: 'transmitter check', expiryTime: { seconds: String(Math.floor(expiry / 1000)), nanos: 0 } },
      operator,
    );
    expect(shelved.alarm).toMatchObject({ status: 'ALARM_STATUS_SHELVED', shelvedBy: 'op-7', shelfReason: 'transmitter check' });
    const plant = app!.plants.get(PLANT)!;
    await plant.tick(0, expiry - 1000);
    expect(plant.view('PI-1/H').status).toBe('shelved');
    await plant.tick(0, expiry + 1000);
    expect(plant.view('PI-1/H').status).toBe('unacknowledgedActive');
    expect((await alarmEvents('PI-1/H')).map(([type]) => type)).toEqual(['AlarmRaised', 'AlarmShelved', 'AlarmUnshelved', 'AlarmRaised']);
  });

  it('publishes a trip, suppresses the unit’s alarms by design and unsuppresses them when it runs again', async () => {
    await ingest([['SI-1', 10, 3000], ['FI-2', 10, 50]]);
    await ingest([['SI-1', 20, 10], ['FI-2', 21, 2]]);
    const trips = await eventually(async () => ((await published('UnitTripped')).length > 0 ? await published('UnitTripped') : undefined));
    expect(trips[0]).toEqual({ plantId: PLANT, unitId: 'K-1', area: 'gas', trippedAt: new Date(s(20)).toISOString() });
    await eventually(async () => ((await alarmEvents('FI-2/L')).length >= 2 ? true : undefined));
    expect((await alarmEvents('FI-2/L')).map(([type]) => type)).toEqual(['AlarmSuppressed', 'AlarmConditionChanged']);
    const units = await callSafety(client, client.listUnitStates, { plantId: PLANT }, viewer);
    expect(units.units).toEqual([expect.objectContaining({ unitId: 'K-1', state: 'UNIT_STATE_TRIPPED' })]);
    await ingest([['SI-1', 30, 3000]]);
    await eventually(async () => ((await alarmEvents('FI-2/L')).length >= 4 ? true : undefined));
    expect((await alarmEvents('FI-2/L')).map(([type]) => type)).toEqual(['AlarmSuppressed', 'AlarmConditionChanged', 'AlarmUnsuppressed', 'AlarmRaised']);
  });

  it('survives a restart mid-delay: the pending raise happens once, at its exact time, and active alarms stay active', async () => {
    await ingest([['PI-1', 40, 7]]); // clears H and HH (deadband 0.5, no off-delay)
    await eventually(async () => ((await alarmEvents('PI-1/HH')).some(([t]) => t === 'AlarmCleared') ? true : undefined));
    await ingest([['PI-1', 50, 10.5]]); // HH pending from t=50
    await eventually(async () => ((await pool.query("SELECT state FROM safety_engine_tags WHERE tag_id = 'PI-1'")).rows[0]?.state.lastTimeMs === s(50) ? true : undefined));
    client.close();
    await app!.stop();
    await start();
    await ingest([['PI-1', 56, 10.6]]);
    await eventually(async () => ((await alarmEvents('PI-1/HH')).length >= 4 ? true : undefined));
    expect((await alarmEvents('PI-1/HH')).slice(2)).toEqual([
      ['AlarmCleared', new Date(s(40)).toISOString()],
      ['AlarmRaised', new Date(s(55)).toISOString()],
    ]);
  });

  it('serves the journal newest first with paging, and KPIs per console', async () => {
    // the journal projection runs behind the event store: wait for the last PI-1/HH raise (55 s) and for the rows the KPIs count
    await eventually(async () =>
      (await pool.query("SELECT count(*)::int AS n FROM safety_alarm_journal WHERE alarm_id = 'PI-1/HH' AND event_type = 'AlarmRaised' AND at = $1", [new Date(s(55))])).rows[0].n === 1 &&
      (await pool.query('SELECT count(*)::int AS n FROM safety_alarm_activations WHERE raised_at >= $1 AND raised_at < $2', [new Date(s(0)), new Date(s(600))])).rows[0].n >= 5
        ? true
        : undefined,
    );
    const range = { startTime: { seconds: String(T0 / 1000 - 60), nanos: 0 }, endTime: { seconds: String(Math.floor(Date.now() / 1000) + 3600), nanos: 0 } };
    const first = await callSafety(client, client.getAlarmJournal, { plantId: PLANT, range, alarmId: 'PI-1/HH', pageSize: 2, pageToken: '' }, viewer);
    expect(first.entries.map((e) => e.eventType)).toEqual(['AlarmRaised', 'AlarmCleared']);
    const second = await callSafety(client, client.getAlarmJournal, { plantId: PLANT, range, alarmId: 'PI-1/HH', pageSize: 2, pageToken: first.nextPageToken }, viewer);
    expect(second.entries.map((e) => [e.eventType, e.actor])).toEqual([
      ['AlarmAcknowledged', 'op-7'],
      ['AlarmRaised', 'system'],
    ]);
    const kpis = await callSafety(client, client.getAlarmKpis, { plantId: PLANT, range: { startTime: { seconds: String(T0 / 1000), nanos: 0 }, endTime: { seconds: String(T0 / 1000 + 600), nanos: 0 } }, grouping: 'KPI_GROUPING_CONSOLE' as v1.KpiGrouping }, viewer);
    // PI-1/HH at 6 s and 55 s, PI-1/H at 6 s and 55 s, FI-2/L re-raised at 30 s; the shelf's re-raise has a wall-clock time outside the period
    expect(kpis.groups).toEqual([expect.objectContaining({ key: 'c1', activations: 5, alarmsPerTenMin: 5, peakAlarmsPerTenMin: 5, floodIntervals: 0 })]);
    expect(kpis.targets?.alarmsPerTenMin).toBe(1);
  });
});
