import { status } from '@grpc/grpc-js';
import { createDevelopmentToken, decodeGrpcError } from '@reflux/grpc';
import { refluxBalancingV1 as v1 } from '@reflux/proto';
import { createMetricsRegistry } from '@reflux/observability';
import { createTestDatabase } from '@reflux/testing';
import pino from 'pino';
import { BIASED_TAG, demoDocument, demoGraph, DEMO_PLANT_ID, eventually, FakeHistorySource, faultyDemoAverages, LEAKING_UNIT } from '../../../test/fixtures/demo-scenario';
import { startBalancingApp, type BalancingApp } from '../../balancing.app';
import { balancingClient, callBalancing, type BalancingClient } from './balancing.grpc-client';

const SECRET = 'balancing-grpc-test-secret-of-at-least-32-characters';
const operator = createDevelopmentToken(SECRET, ['operator'], 'op-1');
const viewer = createDevelopmentToken(SECRET, ['viewer'], 'viewer-1');
const ts = (iso: string) => ({ seconds: String(Date.parse(iso) / 1000), nanos: 0 });
const WINDOW = { startTime: ts('2026-11-23T10:00:00Z'), endTime: ts('2026-11-23T11:00:00Z') };

/** The faulty demo averages as Reconcile measurements, in each tag's unit. */
function measurements(): v1.Measurement[] {
  return [...faultyDemoAverages(demoGraph(), 3600)].map(([tagId, a]) => ({ tagId, value: a.value, unit: '', levelChange: a.levelChange ?? null, standardDeviation: null }));
}

async function rejection(call: Promise<unknown>): Promise<ReturnType<typeof decodeGrpcError>> {
  try {
    await call;
  } catch (error) {
    return decodeGrpcError(error);
  }
  throw new Error('the call succeeded');
}

describe('BalancingService over gRPC', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: BalancingApp;
  let client: BalancingClient;
  let history: FakeHistorySource;
  const registry = createMetricsRegistry({ service: 'balancing-test', defaultMetrics: false });

  beforeAll(async () => {
    db = await createTestDatabase('balancing_grpc');
    history = new FakeHistorySource(new Map());
    app = await startBalancingApp({
      databaseUrl: db.url,
      grpc: { host: '127.0.0.1', port: 0, auth: { jwt: { hs256Secrets: [SECRET], development: true } } },
      plantModels: [{ document: demoDocument(), format: 'yaml', origin: 'demo' }],
      history,
      logger: pino({ enabled: false }),
      reconciler: { alpha: 0.05, sigmaSource: 'tag', spreadBuckets: 12, minGoodShare: 0.5, minCoverage: 0.9 },
      trigger: { windowS: 3600, settleS: 300, lookbackWindows: 1 },
      scheduleIntervalMs: 0,
      triggerOnIngest: false,
      metricsRegistry: registry,
    });
    client = balancingClient(`127.0.0.1:${app.port}`);
  });

  afterAll(async () => {
    client?.close();
    await app?.stop();
    await db?.drop();
  });

  it('reconciles measurements given in the call and returns the full result', async () => {
    const response = await callBalancing(client, client.reconcile, { plantId: DEMO_PLANT_ID, window: WINDOW, measurements: measurements(), dryRun: false }, operator);
    const result = response.result!;
    expect(response.replayed).toBe(false);
    expect(result.source).toBe(v1.MeasurementSource.MEASUREMENT_SOURCE_REQUEST);
    expect(result.plantModelVersion).toBe(1);
    expect(result.globalTest).toMatchObject({ rejected: true });
    expect(result.globalTestAfter).toMatchObject({ rejected: false });
    expect(result.grossErrors.map((g) => [g.tagId, g.tagUnit])).toEqual([[BIASED_TAG, 't/h']]);
    expect(result.grossErrors[0].estimatedBiasKgPerS).toBeCloseTo(12, 0);
    expect(result.losses.map((l) => l.unitId)).toEqual([LEAKING_UNIT]);
    expect(result.streams.find((s) => s.streamId === 'crude-transfer')).toMatchObject({ classification: v1.Classification.CLASSIFICATION_UNOBSERVABLE, measured: false });
    expect(result.streams.find((s) => s.streamId === 'crude-charge')?.reconciledMassFlowKgPerS).toBeCloseTo(150, 0);
    expect(history.queries).toHaveLength(0); // nothing was read from the history
    // the steam system's mass and energy balances see the letdown leak too
    expect(result.steamBalance!.unitIds).toEqual(['HDR-4001', 'HDR-4002', 'HDR-4003', 'PV-4001', 'PV-4002']);
    expect(result.steamBalance!.temperatures.find((t) => t.streamId === 'hp-pv4001')?.measuredTemperatureK).toBeCloseTo(673.15, 6);
    expect(result.steamBalance!.globalTest!.rejected).toBe(true);

    const again = await callBalancing(client, client.reconcile, { plantId: DEMO_PLANT_ID, window: WINDOW, measurements: measurements(), dryRun: false }, operator);
    expect(again.replayed).toBe(true);
  });

  it('serves the stored balance of a window for the plant and for one unit', async () => {
    const plant = await eventually(
      () => callBalancing(client, client.getBalance, { plantId: DEMO_PLANT_ID, window: WINDOW, unitId: '' }, viewer).then((r) => r, () => undefined),
      // The projection waits for the cluster-wide transaction horizon; other suites running at
      // the same time may hold a transaction open for seconds (lock and back-pressure tests).
      60_000,
      'the projected balance',
    );
    expect(plant.result!.streams.length).toBeGreaterThan(60);
    expect(plant.result!.grossErrors.map((g) => g.tagId)).toEqual([BIASED_TAG]);
    // without an end time the window is looked up in the read model, once the projection has it
    const unit = await eventually(
      () => callBalancing(client, client.getBalance, { plantId: DEMO_PLANT_ID, window: { startTime: WINDOW.startTime, endTime: null }, unitId: 'C-2001' }, viewer).then((r) => r, () => undefined),
      60_000,
      'the projected balance of C-2001',
    );
    expect(unit.result!.units.map((u) => u.unitId)).toEqual(['C-2001']);
    expect(unit.result!.streams.every((s) => s.fromUnitId === 'C-2001' || s.toUnitId === 'C-2001')).toBe(true);
    const nht = unit.result!.yields.find((y) => y.streamId === 'nht-product')!;
    expect(nht.basis).toBe(v1.YieldBasis.YIELD_BASIS_INLET);
    expect(nht.yieldRatio).toBeGreaterThan(0.9);
  }, 150_000);

  it('serves the reconciled yields of the latest window for planning', async () => {
    const latest = await callBalancing(client, client.getYields, { plantId: DEMO_PLANT_ID, unitId: 'C-2001', windowStartTime: null }, viewer);
    expect(latest.window).toEqual(WINDOW);
    expect(latest.plantModelVersion).toBe(1);
    expect(latest.yields.map((y) => y.streamId).sort()).toEqual(['nht-acid-gas', 'nht-offgas', 'nht-product', 'nht-sour-water']);
    const total = latest.yields.reduce((a, y) => a + y.yieldRatio, 0);
    expect(total).toBeGreaterThan(0.95); // the stripper's products account for its reconciled feed
    const none = await rejection(callBalancing(client, client.getYields, { plantId: 'elsewhere', unitId: '', windowStartTime: null }, viewer));
    expect(none.status).toBe(status.NOT_FOUND);
  });

  it('serves the latest reconciled window when the request names none (what `reflux balance show` reads)', async () => {
    const latest = await callBalancing(client, client.getBalance, { plantId: DEMO_PLANT_ID, window: null, unitId: LEAKING_UNIT }, viewer);
    expect(latest.result!.window).toEqual(WINDOW);
    expect(latest.result!.units.map((u) => u.unitId)).toEqual([LEAKING_UNIT]);
    expect(latest.result!.losses.map((l) => l.unitId)).toEqual([LEAKING_UNIT]);
    const none = await rejection(callBalancing(client, client.getBalance, { plantId: 'elsewhere', window: null, unitId: '' }, viewer));
    expect(none.status).toBe(status.NOT_FOUND);
    expect(none.message).toMatch(/no reconciled window of plant "elsewhere" yet/);
  });

  it('answers NOT_FOUND for a window that was never reconciled', async () => {
    const error = await rejection(callBalancing(client, client.getBalance, { plantId: DEMO_PLANT_ID, window: { startTime: ts('2020-01-01T00:00:00Z'), endTime: null }, unitId: '' }, viewer));
    expect(error.status).toBe(status.NOT_FOUND);
    expect(error.code).toBe('BALANCING.BALANCE_NOT_FOUND');
  });

  it('lists suspects over a time range, page by page', async () => {
    const range = { startTime: ts('2026-11-23T00:00:00Z'), endTime: ts('2026-11-24T00:00:00Z') };
    const first = await callBalancing(client, client.listSuspects, { plantId: DEMO_PLANT_ID, range, kind: v1.SuspectKind.SUSPECT_KIND_UNSPECIFIED, pageSize: 1, pageToken: '' }, viewer);
    expect(first.suspects).toHaveLength(1);
    expect(first.suspects[0]).toMatchObject({ kind: v1.SuspectKind.SUSPECT_KIND_GROSS_ERROR, grossError: { tagId: BIASED_TAG } });
    expect(first.nextPageToken).not.toBe('');
    const second = await callBalancing(client, client.listSuspects, { plantId: DEMO_PLANT_ID, range, kind: v1.SuspectKind.SUSPECT_KIND_UNSPECIFIED, pageSize: 1, pageToken: first.nextPageToken }, viewer);
    expect(second.suspects[0]).toMatchObject({ kind: v1.SuspectKind.SUSPECT_KIND_LOSS, loss: { unitId: LEAKING_UNIT } });
    expect(second.nextPageToken).toBe('');
    const losses = await callBalancing(client, client.listSuspects, { plantId: DEMO_PLANT_ID, range, kind: v1.SuspectKind.SUSPECT_KIND_LOSS, pageSize: 0, pageToken: '' }, viewer);
    expect(losses.suspects.map((s) => s.loss?.unitId)).toEqual([LEAKING_UNIT]);
  });

  it('classifies the instrumentation of the current plant model', async () => {
    const response = await callBalancing(client, client.getClassification, { plantId: DEMO_PLANT_ID }, viewer);
    expect(response.plantModelVersion).toBe(1);
    expect(response.counts).toMatchObject({ streams: response.streams.length });
    expect(response.counts!.redundant).toBeGreaterThan(0);
    expect(response.degreesOfFreedom).toBeGreaterThan(0);
    expect(response.streams.find((s) => s.streamId === 'crude-transfer')?.classification).toBe(v1.Classification.CLASSIFICATION_UNOBSERVABLE);
    expect(response.streams.find((s) => s.streamId === 'crude-charge')).toMatchObject({ classification: v1.Classification.CLASSIFICATION_REDUNDANT, tagIds: [BIASED_TAG] });
  });

  it('rejects invalid input with INVALID_ARGUMENT naming every bad field', async () => {
    const error = await rejection(
      callBalancing(
        client,
        client.reconcile,
        {
          plantId: DEMO_PLANT_ID,
          window: { startTime: ts('2026-11-23T11:00:00Z'), endTime: ts('2026-11-23T10:00:00Z') },
          alpha: 2,
          dryRun: true,
          measurements: [
            { tagId: 'NO-SUCH-TAG', value: 1, unit: '', standardDeviation: null, levelChange: null },
            { tagId: BIASED_TAG, value: 1, unit: 'degC', standardDeviation: -1, levelChange: null },
            { tagId: 'LI-5012', value: 11, unit: '', standardDeviation: null, levelChange: null },
          ],
        },
        operator,
      ),
    );
    expect(error.status).toBe(status.INVALID_ARGUMENT);
    expect(error.fieldViolations.map((v) => v.field).sort()).toEqual(
      ['alpha', 'measurements[0].tag_id', 'measurements[1].standard_deviation', 'measurements[1].unit', 'measurements[2].level_change', 'window.end_time'].sort(),
    );
    const unknownPlant = await rejection(callBalancing(client, client.reconcile, { plantId: 'nowhere', window: WINDOW, measurements: [], dryRun: true }, operator));
    expect(unknownPlant.status).toBe(status.INVALID_ARGUMENT);
    expect(unknownPlant.fieldViolations[0].field).toBe('plant_id');
    const badPage = await rejection(callBalancing(client, client.listSuspects, { plantId: DEMO_PLANT_ID, range: null, kind: v1.SuspectKind.SUSPECT_KIND_UNSPECIFIED, pageSize: 5000, pageToken: '' }, viewer));
    expect(badPage.fieldViolations.map((v) => v.field).sort()).toEqual(['page_size', 'range']);
  });

  it('lets viewers read but only operators, planners and admins reconcile', async () => {
    const denied = await rejection(callBalancing(client, client.reconcile, { plantId: DEMO_PLANT_ID, window: WINDOW, measurements: [], dryRun: true }, viewer));
    expect(denied.status).toBe(status.PERMISSION_DENIED);
    const anonymous = await rejection(callBalancing(client, client.getClassification, { plantId: DEMO_PLANT_ID }));
    expect(anonymous.status).toBe(status.UNAUTHENTICATED);
    const planner = createDevelopmentToken(SECRET, ['planner'], 'planner-1');
    const whatIf = await callBalancing(client, client.reconcile, { plantId: DEMO_PLANT_ID, window: { startTime: ts('2026-11-23T12:00:00Z'), endTime: ts('2026-11-23T13:00:00Z') }, measurements: measurements(), dryRun: true }, planner);
    expect(whatIf.result!.grossErrors.map((g) => g.tagId)).toEqual([BIASED_TAG]);
  });

  it('reconciles from the history when no measurements are given', async () => {
    history.averages = faultyDemoAverages(demoGraph(), 3600, { leak: false });
    const window = { startTime: ts('2026-11-23T15:00:00Z'), endTime: ts('2026-11-23T16:00:00Z') };
    const response = await callBalancing(client, client.reconcile, { plantId: DEMO_PLANT_ID, window, measurements: [], dryRun: false }, operator);
    expect(response.result!.source).toBe(v1.MeasurementSource.MEASUREMENT_SOURCE_HISTORY);
    expect(response.result!.grossErrors.map((g) => g.tagId)).toEqual([BIASED_TAG]);
    expect(response.result!.losses).toEqual([]);
    expect(history.queries).toHaveLength(1);
  });

  it('counts the windows it handled and the calls it served in Prometheus metrics', async () => {
    const text = await registry.metrics();
    expect(text).toMatch(/balancing_reconciliations_total\{[^}]*outcome="stored"[^}]*\} 2/);
    expect(text).toMatch(/balancing_reconciliations_total\{[^}]*outcome="replayed"[^}]*\} 1/);
    expect(text).toMatch(/balancing_suspects_total\{[^}]*kind="loss"[^}]*\} 1/);
    expect(text).toMatch(/grpc_server_handled_total\{[^}]*grpc_method="Reconcile"/);
  });

  it('returns reconciled compositions, component closures and a biased analyser through GetBalance', async () => {
    const window = { startTime: ts('2026-11-23T20:00:00Z'), endTime: ts('2026-11-23T21:00:00Z') };
    const given = measurements().map((m) => (m.tagId === 'AI-3007' ? { ...m, value: m.value * 1.3 } : m)); // fuel-gas H2 analyser reads 30 % high
    await callBalancing(client, client.reconcile, { plantId: DEMO_PLANT_ID, window, measurements: given, dryRun: false }, operator);
    const drum = await eventually(
      () => callBalancing(client, client.getBalance, { plantId: DEMO_PLANT_ID, window: { startTime: window.startTime, endTime: null }, unitId: 'D-3001' }, viewer).then((r) => r, () => undefined),
      60_000,
      'the projected balance of D-3001',
    );
    const components = drum.result!.componentBalance!;
    expect(components.globalTest!.rejected).toBe(true);
    expect(components.globalTestAfter!.rejected).toBe(false);
    expect(components.closures.map((c) => c.component).sort()).toEqual(['C2H6', 'CH4', 'H2']);
    const h2 = components.closures.find((c) => c.component === 'H2')!;
    expect(h2.unitId).toBe('D-3001');
    expect(Math.abs(h2.imbalanceAfterKgPerS!)).toBeLessThan(1e-9);
    expect(Math.abs(h2.imbalanceBeforeKgPerS!)).toBeGreaterThan(1e-3); // 30 % of the H2 in 0.87 kg/s of boiler fuel
    const boilerFuel = components.compositions.find((w) => w.streamId === 'fg-b4001' && w.component === 'H2')!;
    expect(boilerFuel).toMatchObject({ tagIds: ['AI-3007'], measured: true, grossError: true });
    expect(boilerFuel.reconciledMassFraction).toBeCloseTo(demoGraph().stream('fg-b4001').nominal.composition!.H2, 6);
    expect(components.compositions.find((w) => w.streamId === 'fg-b4002' && w.component === 'H2')).toMatchObject({ measured: false, classification: v1.Classification.CLASSIFICATION_OBSERVABLE });
    expect(drum.result!.grossErrors).toHaveLength(1);
    expect(drum.result!.grossErrors[0]).toMatchObject({ tagId: 'AI-3007', streamId: 'fg-b4001', component: 'H2', tagUnit: '%' });
    expect(drum.result!.grossErrors[0].relativeBiasPercent).toBeCloseTo(30, 0);
    expect(drum.result!.grossErrors[0].estimatedBiasMassFraction).toBeCloseTo(0.3 * demoGraph().stream('fg-b4001').nominal.composition!.H2, 6);
  }, 150_000);

  it('serves a just-stored balance from its event stream while the read model lags behind', async () => {
    await app.projection.stop(); // the read model stops here
    const window = { startTime: ts('2026-11-23T18:00:00Z'), endTime: ts('2026-11-23T19:00:00Z') };
    history.averages = faultyDemoAverages(demoGraph(), 3600);
    await callBalancing(client, client.reconcile, { plantId: DEMO_PLANT_ID, window, measurements: [], dryRun: false }, operator);
    const unit = await callBalancing(client, client.getBalance, { plantId: DEMO_PLANT_ID, window, unitId: LEAKING_UNIT }, viewer);
    expect(unit.result!.units.map((u) => u.unitId)).toEqual([LEAKING_UNIT]);
    expect(unit.result!.losses.map((l) => l.unitId)).toEqual([LEAKING_UNIT]);
    expect(unit.result!.grossErrors).toEqual([]); // the biased crude meter is elsewhere
    expect(unit.result!.streams.every((s) => s.fromUnitId === LEAKING_UNIT || s.toUnitId === LEAKING_UNIT)).toBe(true);
  });
});
