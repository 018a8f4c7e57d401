import { status } from '@grpc/grpc-js';
import { integrationEvents, type EarlyWarningCleared, type EarlyWarningRaised } from '@reflux/contracts';
import { PostgresEventStore } from '@reflux/event-store';
import { createDevelopmentToken, decodeGrpcError } from '@reflux/grpc';
import { PostgresEventBus } from '@reflux/messaging';
import { fitMonitoringModel } from '@reflux/process-monitoring';
import { SeededRandom } from '@reflux/reconciliation';
import { createTestDatabase } from '@reflux/testing';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import pino from 'pino';
import { eventually, MemorySampleHistory } from '../test/fixtures/memory-sample-history';
import { callSafety, safetyClient, type SafetyClient } from './adapters/grpc/safety.grpc-client';
import { dateToTimestamp } from './adapters/grpc/safety.grpc-mapper';
import { startSafetyApp, type SafetyApp } from './safety.app';

const SECRET = 'safety-early-warning-secret-of-32-characters';
const operator = createDevelopmentToken(SECRET, ['operator'], 'op-3');
const viewer = createDevelopmentToken(SECRET, ['viewer'], 'viewer-3');
const PLANT = 'ew-plant';
const T0 = Date.UTC(2026, 0, 6, 6, 0, 0);
const s = (seconds: number) => T0 + seconds * 1000;
const iso = (seconds: number) => new Date(s(seconds)).toISOString();

const CONFIG = {
  plantId: PLANT,
  units: [{ unitId: 'R-1', area: 'reactor', rule: { kind: 'thresholds', signals: [{ tagId: 'SI-1', minRunning: 1000 }], delayS: 0 } }],
  tags: [
    { tagId: 'FI-1', area: 'reactor', console: 'c1', unitId: 'R-1', engineeringUnit: 't/h' },
    { tagId: 'TI-1', area: 'reactor', console: 'c1', unitId: 'R-1', engineeringUnit: 'degC' },
    { tagId: 'TI-2', area: 'reactor', console: 'c1', unitId: 'R-1', engineeringUnit: 'degC' },
    { tagId: 'SI-1', area: 'reactor', console: 'c1', unitId: 'R-1', engineeringUnit: 'rpm' },
    { tagId: 'TI-3', area: 'reactor', console: 'c1', unitId: 'R-1', engineeringUnit: 'degC', limits: { H: { value: 150, priority: 'medium' } }, trend: { windowS: 120, horizonS: 1800, everyS: 10, consecutive: 3, minPoints: 10 } },
  ],
};

/**
 * One second of the unit: TI-1 and TI-2 follow the feed FI-1; from `faultFrom` to `faultTo` TI-1
 * drifts 3 K off that relation (a broken correlation: SPE); TI-3 ramps 0.1 K/s from 600 s and
 * reaches its H limit of 150 °C at 1100 s (the alarm at 1101 s, above it).
 */
function second(rng: SeededRandom, t: number, fault: boolean): [string, number, number][] {
  const feed = 50 + 2 * Math.sin(t / 40) + 0.2 * rng.normal();
  return [
    ['FI-1', t, feed],
    ['TI-1', t, 100 + 0.5 * (feed - 50) + 0.1 * rng.normal() + (fault ? 3 : 0)],
    ['TI-2', t, 80 - 0.3 * (feed - 50) + 0.1 * rng.normal()],
    ['SI-1', t, 1500],
    ['TI-3', t, t < 600 ? 100 : 100 + 0.1 * (t - 600)],
  ];
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return decodeGrpcError(error);
  }
  throw new Error('the call succeeded');
}

describe('early warning in the safety service (PostgreSQL, gRPC)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  let store: PostgresEventStore;
  let bus: PostgresEventBus;
  const history = new MemorySampleHistory();
  let app: SafetyApp | undefined;
  let client: SafetyClient;
  const rng = new SeededRandom(5);

  const start = async () => {
    app = await startSafetyApp({
      databaseUrl: db.url,
      grpc: { host: '127.0.0.1', port: 0, auth: { jwt: { hs256Secrets: [SECRET], development: true } } },
      alarmConfigs: [{ document: CONFIG, origin: 'test' }],
      history,
      logger: pino({ enabled: false }),
      tickIntervalMs: 0,
      holdGraceMs: 0,
    });
    client = safetyClient(`127.0.0.1:${app.port}`);
  };

  /** Stores the seconds [from, to) in the history and announces them as one MeasurementsIngested. */
  const ingest = async (from: number, to: number, fault: (t: number) => boolean = () => false) => {
    const rows = [];
    for (let t = from; t < to; t++) rows.push(...second(rng, t, fault(t)));
    history.add(rows.map(([tagId, sec, value]) => ({ tagId, timeMs: s(sec), value, quality: 0 })));
    const eventId = randomUUID();
    await bus.publish(
      integrationEvents.create(
        'MeasurementsIngested',
        { plantId: PLANT, batchId: eventId, tagIds: CONFIG.tags.map((t) => t.tagId), timeRange: { start: iso(from), end: iso(to) }, samplesAccepted: rows.length, samplesRejected: 0 },
        { source: 'ingestion', subject: `plant-${PLANT}`, eventId },
      ),
    );
    return eventId;
  };
  const published = async <T>(type: string) => (await store.readAll({ category: 'integration-', eventTypes: [type] })).map((e) => e.data as T);
  const processed = (batchKey: string) => eventually(async () => ((await pool.query('SELECT 1 FROM safety_processed_batches WHERE batch_key = $1', [batchKey])).rowCount ? true : undefined), 15_000, `batch ${batchKey}`);

  /** Waits until the PCA monitor stored its grid up to `sec` (monitors run after the batch's alarm commit). */
  const scored = (sec: number) =>
    eventually(async () => {
      const { rows } = await pool.query<{ state: { grid: { nextMs: number } } }>("SELECT state FROM safety_early_warning_state WHERE plant_id = $1 AND monitor = 'pca' AND key = 'R-1'", [PLANT]);
      return rows[0] && rows[0].state.grid.nextMs >= s(sec) ? true : undefined;
    }, 15_000, `PCA grid at ${sec} s`);

  beforeAll(async () => {
    db = await createTestDatabase('safety_early_warning');
    pool = new Pool({ connectionString: db.url, max: 3 });
    await start();
    store = new PostgresEventStore({ pool, logger: pino({ enabled: false }) });
    bus = new PostgresEventBus({ eventStore: store, logger: pino({ enabled: false }) });
    // Normal operation 0–600 s, stored only (what a fit reads back from ingestion's history).
    for (let t = 0; t < 600; t++) history.add(second(rng, t, false).map(([tagId, sec, value]) => ({ tagId, timeMs: s(sec), value, quality: 0 })));
  });

  afterAll(async () => {
    client?.close();
    await app?.stop();
    await bus?.close();
    await store?.close();
    await pool?.end();
    await db?.drop();
  });

  const fitRequest = {
    plantId: PLANT,
    unitId: 'R-1',
    tagIds: ['FI-1', 'TI-1', 'TI-2'],
    trainingRange: { startTime: dateToTimestamp(new Date(s(0))), endTime: dateToTimestamp(new Date(s(600))) },
    grid: { samplePeriodS: 1, maxHoldS: 10 },
    confidence: 0.99,
    lags: 0,
    consecutiveViolations: 3,
    components: 0,
    ewmaLambda: 0,
    activate: true,
  };

  it('refuses a fit by a viewer, on unknown tags and without a training range, naming the fields', async () => {
    expect((await failure(callSafety(client, client.fitMonitoringModel, fitRequest, viewer))).status).toBe(status.PERMISSION_DENIED);
    const unknown = await failure(callSafety(client, client.fitMonitoringModel, { ...fitRequest, tagIds: ['FI-1', 'XI-9'] }, operator));
    expect(unknown.status).toBe(status.INVALID_ARGUMENT);
    expect(unknown.code).toBe('MONITORING.INVALID_MODEL');
    expect(unknown.fieldViolations.map((v) => v.field)).toEqual(['tag_ids[1]']);
    const noRange = await failure(callSafety(client, client.fitMonitoringModel, { ...fitRequest, trainingRange: null, grid: { samplePeriodS: 0, maxHoldS: 0 } }, operator));
    expect(noRange.fieldViolations.map((v) => v.field)).toEqual(['grid.sample_period_s', 'training_range']);
    expect((await callSafety(client, client.listMonitoringModels, { plantId: PLANT, unitId: '', includeModelJson: false }, viewer)).models).toEqual([]);
  });

  it('fits version 1 on the normal period read from history through the grid, the same model the library fits on those rows, and activates it', async () => {
    const { model } = await callSafety(client, client.fitMonitoringModel, fitRequest, operator);
    expect(model).toMatchObject({ unitId: 'R-1', version: 1, active: true, origin: 'history', trainingRows: 600, tagIds: ['FI-1', 'TI-1', 'TI-2'], persistence: '3 consecutive', registeredBy: 'op-3' });
    const { models } = await callSafety(client, client.listMonitoringModels, { plantId: PLANT, unitId: 'R-1', includeModelJson: true }, viewer);
    expect(models).toHaveLength(1);
    const rows = [];
    for (let t = 0; t < 600; t++) rows.push(['FI-1', 'TI-1', 'TI-2'].map((tag) => history.samples.find((x) => x.tagId === tag && x.timeMs === s(t))!.value));
    const expected = fitMonitoringModel({ variables: ['FI-1', 'TI-1', 'TI-2'], rows }, { confidence: 0.99, lags: 0, persistence: { kind: 'consecutive', count: 3 } });
    expect(JSON.parse(models[0]!.modelJson)).toEqual(expected);
    expect(models[0]!.t2Limit).toBeCloseTo(expected.limits.t2, 12);
  });

  it('imports a pca-fit document as version 2 without activating it, activates it and back, and refuses an unknown version or a broken document', async () => {
    const rows = [];
    for (let t = 0; t < 600; t++) rows.push(['FI-1', 'TI-1', 'TI-2'].map((tag) => history.samples.find((x) => x.tagId === tag && x.timeMs === s(t))!.value));
    const document = fitMonitoringModel({ variables: ['FI-1', 'TI-1', 'TI-2'], rows }, { lags: 1, persistence: { kind: 'k-of-n', k: 3, n: 5 } });
    const grid = { samplePeriodS: 1, maxHoldS: 10 };
    const { model } = await callSafety(client, client.importMonitoringModel, { plantId: PLANT, unitId: 'R-1', modelJson: JSON.stringify(document), name: 'r1-dpca.json', grid, activate: false }, operator);
    expect(model).toMatchObject({ version: 2, active: false, origin: 'import', importName: 'r1-dpca.json', lags: 1, persistence: '3 of 5' });
    const broken = await failure(callSafety(client, client.importMonitoringModel, { plantId: PLANT, unitId: 'R-1', modelJson: JSON.stringify({ ...document, confidence: 2 }), name: '', grid, activate: false }, operator));
    expect(broken.fieldViolations.map((v) => v.field)).toEqual(['model_json.confidence']);
    const notFound = await failure(callSafety(client, client.activateMonitoringModel, { plantId: PLANT, unitId: 'R-1', version: 9 }, operator));
    expect([notFound.status, notFound.code]).toEqual([status.NOT_FOUND, 'MONITORING.MODEL_NOT_FOUND']);
    const active = async () => (await callSafety(client, client.listMonitoringModels, { plantId: PLANT, unitId: '', includeModelJson: false }, viewer)).models.map((m) => [m.version, m.active]);
    await callSafety(client, client.activateMonitoringModel, { plantId: PLANT, unitId: 'R-1', version: 2 }, operator);
    expect(await active()).toEqual([
      [1, false],
      [2, true],
    ]);
    await callSafety(client, client.activateMonitoringModel, { plantId: PLANT, unitId: 'R-1', version: 1 }, operator);
    expect(await active()).toEqual([
      [1, true],
      [2, false],
    ]);
  });

  it('raises EarlyWarningRaised at the third violating second with T², SPE, limits and TI-1 as top contributor, and clears it when the unit returns to normal', async () => {
    await processed(await ingest(600, 660));
    await processed(await ingest(660, 700));
    await scored(699);
    expect((await published<EarlyWarningRaised>('EarlyWarningRaised')).filter((e) => e.kind === 'multivariate')).toEqual([]);
    await processed(await ingest(700, 740, (t) => t >= 710 && t < 725));
    await processed(await ingest(740, 760));
    const raised = await eventually(async () => (await published<EarlyWarningRaised>('EarlyWarningRaised')).filter((e) => e.kind === 'multivariate')[0], 10_000, 'EarlyWarningRaised');
    expect(raised).toMatchObject({ plantId: PLANT, area: 'reactor', unitId: 'R-1', warningId: 'pca:R-1', raisedAt: iso(712) });
    const mv = raised.multivariate!;
    expect(mv.modelVersion).toBe(1);
    expect(mv.spe > mv.speLimit || mv.t2 > mv.t2Limit).toBe(true);
    expect(mv.topContributors[0]!.tagId).toBe('TI-1');
    const cleared = await eventually(async () => (await published<EarlyWarningCleared>('EarlyWarningCleared')).find((e) => e.kind === 'multivariate'), 10_000, 'EarlyWarningCleared');
    expect(cleared).toMatchObject({ warningId: 'pca:R-1', reason: 'returned-to-normal' });
    expect(Date.parse(cleared.clearedAt)).toBeGreaterThanOrEqual(s(725));
    expect(Date.parse(cleared.clearedAt)).toBeLessThan(s(730));
  });

  it('keeps the scorer across a restart: no second warning for the same episode, and a new fault after it is warned once', async () => {
    await app!.stop();
    client.close();
    await start();
    await processed(await ingest(760, 800, (t) => t >= 780));
    await processed(await ingest(800, 820, () => true));
    const raises = await eventually(async () => {
      const all = (await published<EarlyWarningRaised>('EarlyWarningRaised')).filter((e) => e.kind === 'multivariate');
      return all.length >= 2 ? all : undefined;
    });
    expect(raises.map((e) => e.raisedAt)).toEqual([iso(712), iso(782)]);
  });

  it('warns that TI-3 will reach H long before the H alarm is raised, then clears that warning as the limit is reached', async () => {
    for (let t = 820; t < 1120; t += 60) await processed(await ingest(t, t + 60, () => false));
    const trend = (await published<EarlyWarningRaised>('EarlyWarningRaised')).filter((e) => e.kind === 'trend'); // raised at 629 s
    expect(trend).toHaveLength(1);
    const [w] = trend;
    expect(w).toMatchObject({ warningId: 'trend:TI-3/H', unitId: 'R-1', trend: { tagId: 'TI-3', limitKind: 'H', limit: 150 } });
    const alarm = await eventually(async () => (await published<{ alarmId: string; raisedAt: string }>('AlarmRaised')).find((e) => e.alarmId === 'TI-3/H'), 10_000, 'AlarmRaised TI-3/H');
    expect(alarm.raisedAt).toBe(iso(1101)); // 150.1 °C: above H
    expect(Date.parse(w!.raisedAt)).toBeLessThan(Date.parse(alarm.raisedAt) - 5 * 60_000);
    // the predicted crossing: 150 °C at 1100 s
    expect(Date.parse(w!.raisedAt) + w!.trend!.estimatedSeconds * 1000).toBeCloseTo(s(1100), -3);
    expect(w!.message).toMatch(/^TI-3 will reach H in about \d+ min/);
    // monitors run after the batch's alarm evaluation committed: wait for them
    const cleared = await eventually(async () => (await published<EarlyWarningCleared>('EarlyWarningCleared')).find((e) => e.warningId === 'trend:TI-3/H'), 10_000, 'trend cleared');
    expect(cleared).toMatchObject({ reason: 'limit-reached', clearedAt: iso(1101) });
  });

  it('replays the period through a candidate configuration (TI-3 H at 160 °C) in memory: one alarm avoided, the live journal, streams and engine state untouched', async () => {
    const snapshot = async () => ({
      journal: (await pool.query('SELECT count(*)::int AS n, max(position) AS p FROM safety_alarm_journal')).rows[0],
      events: (await pool.query("SELECT count(*)::int AS n FROM reflux_events WHERE stream_id NOT LIKE 'integration-%'")).rows[0],
      engine: (await pool.query('SELECT tag_id, state FROM safety_engine_tags ORDER BY tag_id')).rows,
    });
    // the journal is a projection: let it catch up with the TI-3/H alarm raised above first
    await eventually(async () => ((await snapshot()).journal.n >= 1 ? true : undefined), 10_000, 'the journal holds the TI-3/H alarm');
    const before = await snapshot();
    const candidate = { ...CONFIG, tags: CONFIG.tags.map((t) => (t.tagId === 'TI-3' ? { ...t, limits: { H: { value: 160, priority: 'medium' } } } : t)) };
    const range = { startTime: dateToTimestamp(new Date(s(600))), endTime: dateToTimestamp(new Date(s(1120))) };
    const r = await callSafety(client, client.replayAlarmConfiguration, { plantId: PLANT, candidateDocumentJson: JSON.stringify(candidate), range, lookBackS: 0 }, viewer);
    expect(r.live).toMatchObject({ activations: 1, floodIntervals: 0, chatteringAlarmIds: [] });
    expect(r.candidate).toMatchObject({ activations: 0 });
    expect(r.alarmsAvoided).toBe(1);
    expect(r.incidents).toEqual([]);
    expect(await snapshot()).toEqual(before);
    const bad = await failure(callSafety(client, client.replayAlarmConfiguration, { plantId: PLANT, candidateDocumentJson: JSON.stringify({ ...candidate, plantId: 'other' }), range, lookBackS: 0 }, viewer));
    expect(bad.fieldViolations.map((v) => v.field)).toEqual(['candidate_document_json.plantId']);
  });

  it('clears a warning in force as model-replaced when another model version is activated', async () => {
    await processed(await ingest(1120, 1140, () => true));
    await eventually(async () => ((await published<EarlyWarningRaised>('EarlyWarningRaised')).filter((e) => e.kind === 'multivariate').length === 3 ? true : undefined), 10_000, 'third warning');
    await callSafety(client, client.activateMonitoringModel, { plantId: PLANT, unitId: 'R-1', version: 2 }, operator);
    const replaced = (await published<EarlyWarningCleared>('EarlyWarningCleared')).filter((e) => e.reason === 'model-replaced');
    expect(replaced).toEqual([expect.objectContaining({ warningId: 'pca:R-1', unitId: 'R-1', kind: 'multivariate' })]);
  });
});
