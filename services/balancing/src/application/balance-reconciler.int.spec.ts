import { EVENT_TYPES } from '@reflux/contracts';
import { type PostgresEventStore, rebuildProjection, startProjection, type Subscription } from '@reflux/event-store';
import { INTEGRATION_CATEGORY, type PostgresEventBus } from '@reflux/messaging';
import { plantModelStreamName } from '@reflux/plant-model';
import type { Pool } from 'pg';
import pino from 'pino';
import { BIASED_STREAM, BIASED_TAG, demoDocument, demoGraph, DEMO_PLANT_ID, eventually, FakeHistorySource, faultyDemoAverages, LEAKING_UNIT, LEAK_KG_PER_S } from '../../test/fixtures/demo-scenario';
import { BalanceReadModel } from '../adapters/postgres/balance-read-model.queries';
import { subscribeMeasurementsIngested } from '../adapters/bus/measurements-ingested.consumer';
import { balanceStreamId, type BalanceWindow } from '../domain/balance-window';
import { BalanceReconciler } from './balance-reconciler';
import { balanceReadModelProjection } from './balance-read-model.projection';
import { publishPlantModel } from './plant-model.publisher';
import { PlantModelRegistry } from './plant-model.registry';
import { WindowTrigger } from './window-trigger';
import { openEventDatabase, TEST_RECONCILER_SETTINGS, type EventDatabase } from '../../test/fixtures/event-database';
import { OutboxBalancePublisher } from '../adapters/bus/outbox.balance-publisher';

const logger = pino({ enabled: false });
const HOUR: BalanceWindow = { start: new Date('2026-11-23T10:00:00Z'), end: new Date('2026-11-23T11:00:00Z') };

describe('balance reconciler on PostgreSQL', () => {
  let database: EventDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let bus: PostgresEventBus;
  let models: PlantModelRegistry;
  let history: FakeHistorySource;
  let reconciler: BalanceReconciler;
  let readModel: BalanceReadModel;
  let projection: Subscription | undefined;

  beforeAll(async () => {
    database = await openEventDatabase('balancing_reconciler', 6);
    ({ pool, store, bus } = database);
    models = new PlantModelRegistry();
    await publishPlantModel({ store, publisher: new OutboxBalancePublisher(bus.outbox), registry: models, logger }, DEMO_PLANT_ID, demoDocument(), 'yaml');
    history = new FakeHistorySource(faultyDemoAverages(demoGraph(), 3600));
    reconciler = new BalanceReconciler({ store, publisher: new OutboxBalancePublisher(bus.outbox), models, history, logger, settings: TEST_RECONCILER_SETTINGS });
    readModel = new BalanceReadModel(pool);
  });

  afterAll(async () => {
    await projection?.stop();
    await database.close();
  });

  it('registers the plant model as version 1 once, however often the same document is published', async () => {
    const again = await publishPlantModel({ store, publisher: new OutboxBalancePublisher(bus.outbox), registry: models, logger }, DEMO_PLANT_ID, demoDocument(), 'yaml');
    expect(again).toEqual({ version: 1, published: false });
    expect((await store.readStream(plantModelStreamName(DEMO_PLANT_ID))).map((e) => e.type)).toEqual(['PlantModelVersionPublished']);
    const published = await store.readAll({ category: INTEGRATION_CATEGORY, eventTypes: [EVENT_TYPES.PlantModelVersioned] });
    expect(published.map((e) => (e.data as { version: number }).version)).toEqual([1]);
  });

  it('stores the balance of a window from the history with a suspect event for the biased meter and for the leaking unit', async () => {
    const result = await reconciler.reconcileWindow({ plantId: DEMO_PLANT_ID, window: HOUR, trigger: 'test' });
    expect(result.replayed).toBe(false);
    expect(history.queries).toHaveLength(1);
    expect(history.queries[0].window).toEqual(HOUR);

    const events = await store.readStream(balanceStreamId(DEMO_PLANT_ID, HOUR));
    expect(events.map((e) => e.type)).toEqual(['BalanceReconciled', 'GrossErrorSuspected', 'LossSuspected']);
    const gross = events[1].data as { grossError: { tagId: string; streamId: string; biasKgPerS: number; tagUnit: string; biasTagUnit: number; relativePercent: number } };
    expect(gross.grossError).toMatchObject({ tagId: BIASED_TAG, streamId: BIASED_STREAM, tagUnit: 't/h' });
    expect(gross.grossError.biasKgPerS).toBeCloseTo(12, 1); // 8 % of 150 kg/s
    expect(gross.grossError.biasTagUnit).toBeCloseTo(43.2, 0); // the same in t/h
    expect(gross.grossError.relativePercent).toBeCloseTo(8, 0);
    const loss = events[2].data as { loss: { unitId: string; lossKgPerS: number } };
    expect(loss.loss.unitId).toBe(LEAKING_UNIT);
    expect(loss.loss.lossKgPerS).toBeCloseTo(LEAK_KG_PER_S, 1);

    const integration = await store.readStream(`${INTEGRATION_CATEGORY}${balanceStreamId(DEMO_PLANT_ID, HOUR)}`);
    expect(integration.map((e) => e.type)).toEqual([EVENT_TYPES.BalanceReconciled, EVENT_TYPES.GrossErrorSuspected, EVENT_TYPES.LossSuspected]);
    expect(integration[0].data).toMatchObject({ plantId: DEMO_PLANT_ID, plantModelVersion: 1, window: { start: HOUR.start.toISOString(), end: HOUR.end.toISOString() }, summary: { rejected: true } });
    expect(integration[1].data).toMatchObject({ tagId: BIASED_TAG, streamId: BIASED_STREAM, estimatedBias: { unit: 't/h' } });
    expect(integration[2].data).toMatchObject({ unitId: LEAKING_UNIT });
  });

  it('does not append or publish anything when the same window is triggered again', async () => {
    const again = await reconciler.reconcileWindow({ plantId: DEMO_PLANT_ID, window: HOUR, trigger: 'test' });
    expect(again.replayed).toBe(true);
    expect(again.record.grossErrors.map((g) => g.tagId)).toEqual([BIASED_TAG]);
    expect(history.queries).toHaveLength(1); // the stored result was returned without reading the history
    expect(await store.readStream(balanceStreamId(DEMO_PLANT_ID, HOUR))).toHaveLength(3);
    expect(await store.readStream(`${INTEGRATION_CATEGORY}${balanceStreamId(DEMO_PLANT_ID, HOUR)}`)).toHaveLength(3);
  });

  it('stores one result when several triggers race for the same window', async () => {
    const window = { start: new Date('2026-11-23T12:00:00Z'), end: new Date('2026-11-23T13:00:00Z') };
    const results = await Promise.all([1, 2, 3].map(() => reconciler.reconcileWindow({ plantId: DEMO_PLANT_ID, window, trigger: 'race' })));
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await store.readStream(balanceStreamId(DEMO_PLANT_ID, window))).toHaveLength(3);
  });

  it('projects reconciled values, closures, yields, energy figures and suspects into the read model', async () => {
    projection = await startProjection(store, balanceReadModelProjection);
    await projection.caughtUp;
    const stored = await eventually(() => readModel.getBalance(DEMO_PLANT_ID, HOUR.start, HOUR.end), 10_000, 'the projected window');
    const charge = stored.record.streams.find((s) => s.streamId === BIASED_STREAM)!;
    expect(charge).toMatchObject({ measured: true, grossError: true, tagIds: [BIASED_TAG] });
    expect(charge.reconciledKgPerS).toBeCloseTo(150, 0); // the biased reading is replaced by the balance
    const pv = stored.record.units.find((u) => u.unitId === LEAKING_UNIT)!;
    expect(pv.imbalanceBeforeKgPerS).toBeCloseTo(LEAK_KG_PER_S, 1);
    expect(pv.suspect).toBe(true);
    const column = stored.record.yields.filter((y) => y.unitId === 'C-1001');
    expect(column.map((y) => y.streamId)).toEqual(expect.arrayContaining(['cdu-naphtha', 'cdu-kerosene', 'cdu-diesel', 'cdu-residue']));
    for (const y of column) expect(y).toMatchObject({ basis: 'outlet' }); // the column's charge (crude-transfer) is unmeasured behind a furnace with unmeasured flue gas
    expect(column.reduce((a, y) => a + y.ratio, 0)).toBeCloseTo(1, 9);
    expect(stored.record.yields.find((y) => y.unitId === 'C-2001' && y.streamId === 'nht-product')).toMatchObject({ basis: 'inlet' });
    expect(stored.record.energy.headers.map((h) => h.unitId)).toEqual(expect.arrayContaining(['HDR-4001', 'HDR-4002', 'HDR-4003']));
    expect(stored.record.energy.specificEnergyGjPerT).toBeGreaterThan(0);

    const page = await readModel.listSuspects(DEMO_PLANT_ID, new Date('2026-11-23T00:00:00Z'), new Date('2026-11-24T00:00:00Z'), null, 10, '');
    expect(page.suspects.map((s) => s.kind)).toEqual(['gross-error', 'loss', 'gross-error', 'loss']);
  });

  it('rebuilds the read model from the events to the same content', async () => {
    const before = await readModel.getBalance(DEMO_PLANT_ID, HOUR.start, HOUR.end);
    await pool.query(`UPDATE balancing_stream_values SET reconciled_kg_per_s = -1`); // damage it
    const rebuilt = await rebuildProjection(store, balanceReadModelProjection);
    expect(rebuilt.eventsApplied).toBe(6);
    expect(await readModel.getBalance(DEMO_PLANT_ID, HOUR.start, HOUR.end)).toEqual(before);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM balancing_suspects`);
    expect(rows[0].n).toBe(4);
  });

  it('reconciles the windows a MeasurementsIngested batch completes', async () => {
    const trigger = new WindowTrigger(reconciler, models, { windowS: 3600, settleS: 300, lookbackWindows: 1 }, logger);
    const consumer = await subscribeMeasurementsIngested(bus, trigger);
    try {
      await bus.publish({
        eventId: '5b0d9c3e-3f7a-4d52-9a53-2f6f0e0c1a01',
        type: EVENT_TYPES.MeasurementsIngested,
        schemaVersion: 1,
        source: 'ingestion',
        subject: 'ingestion-batch-1',
        occurredAt: new Date().toISOString(),
        correlationId: 'batch-1',
        data: { plantId: DEMO_PLANT_ID, batchId: 'batch-1', tagIds: [BIASED_TAG], timeRange: { start: '2026-11-23T14:30:00Z', end: '2026-11-23T15:00:00Z' }, samplesAccepted: 10, samplesRejected: 0 },
      });
      const completed = { start: new Date('2026-11-23T14:00:00Z'), end: new Date('2026-11-23T15:00:00Z') };
      const events = await eventually(async () => {
        const e = await store.readStream(balanceStreamId(DEMO_PLANT_ID, completed));
        return e.length > 0 ? e : undefined;
      }, 15_000, 'the window completed by the batch');
      expect(events[0].type).toBe('BalanceReconciled');
      expect(events[0].metadata).toMatchObject({ trigger: 'measurements-ingested', correlationId: 'batch-1' });
    } finally {
      await consumer.stop();
    }
  });

  it('reconciles a window again under a new plant-model version, and the read model keeps the newer one', async () => {
    const changed = demoDocument().replace(/^name: .*$/m, 'name: Demo petrochemical site (revised)');
    expect(await publishPlantModel({ store, publisher: new OutboxBalancePublisher(bus.outbox), registry: models, logger }, DEMO_PLANT_ID, changed, 'yaml')).toEqual({ version: 2, published: true });
    const result = await reconciler.reconcileWindow({ plantId: DEMO_PLANT_ID, window: HOUR, trigger: 'test' });
    expect(result).toMatchObject({ replayed: false, record: { plantModelVersion: 2 } });
    expect((await store.readStream(balanceStreamId(DEMO_PLANT_ID, HOUR))).map((e) => e.type)).toEqual([
      'BalanceReconciled',
      'GrossErrorSuspected',
      'LossSuspected',
      'BalanceReconciled',
      'GrossErrorSuspected',
      'LossSuspected',
    ]);
    const stored = await eventually(async () => {
      const b = await readModel.getBalance(DEMO_PLANT_ID, HOUR.start, HOUR.end);
      return b?.record.plantModelVersion === 2 ? b : undefined;
    }, 10_000, 'the version-2 balance in the read model');
    expect(stored.record.grossErrors.map((g) => g.tagId)).toEqual([BIASED_TAG]);
    // replaying everything from scratch ends with version 2 as well (version 1 arrives first and is replaced)
    await rebuildProjection(store, balanceReadModelProjection);
    expect((await readModel.getBalance(DEMO_PLANT_ID, HOUR.start, HOUR.end))?.record.plantModelVersion).toBe(2);
  });

  it('refuses a window without any usable flow measurement and stores nothing', async () => {
    const empty = new BalanceReconciler({ store, publisher: new OutboxBalancePublisher(bus.outbox), models, history: new FakeHistorySource(new Map()), logger, settings: TEST_RECONCILER_SETTINGS });
    const window = { start: new Date('2026-11-23T20:00:00Z'), end: new Date('2026-11-23T21:00:00Z') };
    await expect(empty.reconcileWindow({ plantId: DEMO_PLANT_ID, window, trigger: 'test' })).rejects.toMatchObject({ code: 'BALANCING.NO_MEASUREMENTS' });
    expect(await store.readStream(balanceStreamId(DEMO_PLANT_ID, window))).toEqual([]);
  });

  it('revises a window when late data changes it: BalanceRevised, the cleared suspect published and gone from the read model', async () => {
    const late = new FakeHistorySource(faultyDemoAverages(demoGraph(), 3600));
    const revising = new BalanceReconciler({ store, publisher: new OutboxBalancePublisher(bus.outbox), models, history: late, logger, settings: TEST_RECONCILER_SETTINGS });
    const window = { start: new Date('2026-11-23T16:00:00Z'), end: new Date('2026-11-23T17:00:00Z') };
    const streamId = balanceStreamId(DEMO_PLANT_ID, window);
    await revising.reconcileWindow({ plantId: DEMO_PLANT_ID, window, trigger: 'schedule' });
    // the meter's connector delivers its missing data late: the biased average was the held last value
    late.averages = faultyDemoAverages(demoGraph(), 3600, { bias: false });
    const revised = await revising.reconcileWindow({ plantId: DEMO_PLANT_ID, window, trigger: 'measurements-ingested', revise: true });
    expect(revised.replayed).toBe(false);
    expect(revised.record.grossErrors).toEqual([]);
    expect((await store.readStream(streamId)).map((e) => e.type)).toEqual(['BalanceReconciled', 'GrossErrorSuspected', 'LossSuspected', 'BalanceRevised', 'GrossErrorCleared']);
    // the same late data again changes nothing
    expect((await revising.reconcileWindow({ plantId: DEMO_PLANT_ID, window, trigger: 'measurements-ingested', revise: true })).replayed).toBe(true);
    expect(await store.readStream(streamId)).toHaveLength(5);

    const published = (await store.readAll({ category: INTEGRATION_CATEGORY, eventTypes: [EVENT_TYPES.BalanceRevised, EVENT_TYPES.GrossErrorCleared] })).filter((e) => e.streamId.includes(streamId));
    expect(published.map((e) => [e.type, e.data])).toEqual([
      [EVENT_TYPES.BalanceRevised, expect.objectContaining({ plantId: DEMO_PLANT_ID, revision: 1, summary: expect.objectContaining({ counts: expect.objectContaining({ suspectedGrossErrors: 1 }) }) })],
      [EVENT_TYPES.GrossErrorCleared, expect.objectContaining({ revision: 1, suspect: { kind: 'measurement', tagId: BIASED_TAG, streamId: BIASED_STREAM } })],
    ]);

    const suspects = await eventually(async () => {
      const page = await readModel.listSuspects(DEMO_PLANT_ID, window.start, window.end, null, 10, '');
      const balance = await readModel.getBalance(DEMO_PLANT_ID, window.start, window.end);
      return page.suspects.length === 1 && balance?.record.grossErrors.length === 0 ? page : undefined;
    }, 10_000, 'the revised window in the read model');
    expect(suspects.suspects.map((s) => s.kind)).toEqual(['loss']);
  });

  it('publishes a suspect only once it persisted over 2 of the last 3 windows (BALANCE_SUSPECT_PERSISTENCE=2/3)', async () => {
    const biasOnly = new FakeHistorySource(faultyDemoAverages(demoGraph(), 3600, { leak: false }));
    const persistent = new BalanceReconciler({
      store,
      publisher: new OutboxBalancePublisher(bus.outbox),
      models,
      history: biasOnly,
      logger,
      settings: { ...TEST_RECONCILER_SETTINGS, persistence: { required: 2, windows: 3 } },
    });
    const hour = (h: number) => ({ start: new Date(Date.UTC(2026, 10, 24, h)), end: new Date(Date.UTC(2026, 10, 24, h + 1)) });
    const first = await persistent.reconcileWindow({ plantId: DEMO_PLANT_ID, window: hour(1), trigger: 'schedule' });
    expect(first.record.grossErrors.map((g) => g.tagId)).toEqual([BIASED_TAG]); // found …
    expect((await store.readStream(balanceStreamId(DEMO_PLANT_ID, hour(1)))).map((e) => e.type)).toEqual(['BalanceReconciled']); // … not published
    await persistent.reconcileWindow({ plantId: DEMO_PLANT_ID, window: hour(2), trigger: 'schedule' });
    expect((await store.readStream(balanceStreamId(DEMO_PLANT_ID, hour(2)))).map((e) => e.type)).toEqual(['BalanceReconciled', 'GrossErrorSuspected']);
  });
});
