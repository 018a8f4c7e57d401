import { type PostgresEventStore, startProjection, type Subscription } from '@reflux/event-store';
import type { PostgresEventBus } from '@reflux/messaging';
import { SeededRandom } from '@reflux/reconciliation';
import type { Pool } from 'pg';
import pino from 'pino';
import { demoDocument, demoGraph, DEMO_PLANT_ID, eventually, FakeHistorySource } from '../../test/fixtures/demo-scenario';
import { BalanceReadModel } from '../adapters/postgres/balance-read-model.queries';
import { balanceStreamId, type BalanceWindow } from '../domain/balance-window';
import { nominalTagAverages } from '../domain/plant-network.mapper';
import type { TagAverage } from '../domain/tag-average';
import { tagSigma } from '../domain/tag-conversion';
import { BalanceReconciler } from './balance-reconciler';
import { balanceReadModelProjection } from './balance-read-model.projection';
import { publishPlantModel } from './plant-model.publisher';
import { PlantModelRegistry } from './plant-model.registry';
import { openEventDatabase, TEST_RECONCILER_SETTINGS, type EventDatabase } from '../../test/fixtures/event-database';
import { OutboxBalancePublisher } from '../adapters/bus/outbox.balance-publisher';

const logger = pino({ enabled: false });
const HOUR: BalanceWindow = { start: new Date('2026-11-23T14:00:00Z'), end: new Date('2026-11-23T15:00:00Z') };
/** Hydrogen analyser on the fuel gas to boiler 1 (an outlet of the fuel-gas drum D-3001), reading 30 % high. */
const BIASED_ANALYSER = 'AI-3007';
const BIAS_FACTOR = 1.3;
const graph = demoGraph;

/** Window averages of the demo plant: nominal plus seeded noise with each tag's sigma (flows and analysers), one analyser biased. */
function analyserFaultAverages(): Map<string, TagAverage> {
  const graph = demoGraph();
  const random = new SeededRandom(42);
  const averages = nominalTagAverages(graph, 3600);
  for (const [id, a] of averages) {
    const tag = graph.tag(id);
    if (tag.kind === 'level') continue;
    averages.set(id, { ...a, value: a.value + tagSigma(tag, a.value) * random.normal(), sampleCount: 60, coverage: 1, goodShare: 1 });
  }
  const biased = averages.get(BIASED_ANALYSER)!;
  averages.set(BIASED_ANALYSER, { ...biased, value: biased.value * BIAS_FACTOR });
  return averages;
}

describe('balance reconciler with component balances on PostgreSQL', () => {
  let database: EventDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let bus: PostgresEventBus;
  let history: FakeHistorySource;
  let reconciler: BalanceReconciler;
  let readModel: BalanceReadModel;
  let projection: Subscription | undefined;

  beforeAll(async () => {
    database = await openEventDatabase('balancing_components');
    ({ pool, store, bus } = database);
    const models = new PlantModelRegistry();
    await publishPlantModel({ store, publisher: new OutboxBalancePublisher(bus.outbox), registry: models, logger }, DEMO_PLANT_ID, demoDocument(), 'yaml');
    history = new FakeHistorySource(analyserFaultAverages());
    reconciler = new BalanceReconciler({ store, publisher: new OutboxBalancePublisher(bus.outbox), models, history, logger, settings: TEST_RECONCILER_SETTINGS });
    readModel = new BalanceReadModel(pool);
  });

  afterAll(async () => {
    await projection?.stop();
    await database.close();
  });

  it('reads the analysers of the balanced units from the history and stores a GrossErrorSuspected for the biased one only', async () => {
    const result = await reconciler.reconcileWindow({ plantId: DEMO_PLANT_ID, window: HOUR, trigger: 'test' });
    expect(history.queries[0].tagIds).toEqual(expect.arrayContaining([BIASED_ANALYSER, 'AI-3016', 'AI-2003', 'AI-3013']));
    expect(history.queries[0].tagIds).not.toContain('AI-2016'); // acid gas of the stripper: no component balance there

    const events = await store.readStream(balanceStreamId(DEMO_PLANT_ID, HOUR));
    const suspects = events.filter((e) => e.type === 'GrossErrorSuspected').map((e) => (e.data as { grossError: { tagId: string; component?: string; relativePercent: number; tagUnit: string } }).grossError);
    expect(suspects.map((g) => g.tagId)).toEqual([BIASED_ANALYSER]);
    expect(suspects[0]).toMatchObject({ component: 'H2', tagUnit: '%' });
    expect(suspects[0].relativePercent).toBeGreaterThan(20);
    expect(suspects[0].relativePercent).toBeLessThan(40);
    expect(result.record.componentBalance!.globalTest.rejected).toBe(true);
    expect(result.record.componentBalance!.globalTestAfter.rejected).toBe(false);
  });

  it('projects reconciled compositions that close the component balances, and the closures per unit and component', async () => {
    projection = await startProjection(store, balanceReadModelProjection);
    await projection.caughtUp;
    // the projection waits for the cluster-wide transaction horizon: suites running at the same time may hold it back
    const stored = await eventually(() => readModel.getBalance(DEMO_PLANT_ID, HOUR.start, HOUR.end), 60_000, 'the projected window');
    const components = stored.record.componentBalance!;
    expect(components.unitIds).toEqual(expect.arrayContaining(['D-3001', 'K-2001']));

    const h2 = (streamId: string) => components.compositions.find((w) => w.streamId === streamId && w.component === 'H2')!;
    expect(h2('fg-b4001')).toMatchObject({ measured: true, grossError: true, tagIds: [BIASED_ANALYSER] });
    expect(h2('fg-b4001').reconciledFraction).toBeCloseTo(graph().stream('fg-b4001').nominal.composition!.H2, 3);
    expect(h2('fg-b4002')).toMatchObject({ measured: false, classification: 'observable' });

    // Σ in F·w = Σ out F·w with the reconciled flows and fractions
    const flows = new Map(components.flows.map((f) => [f.streamId, f.reconciledKgPerS!]));
    const fraction = (streamId: string) => components.compositions.find((w) => w.streamId === streamId && w.component === 'H2')?.reconciledFraction ?? 0;
    const inflow = graph().streamsIn('D-3001').reduce((sum, s) => sum + flows.get(s.id)! * fraction(s.id), 0);
    const outflow = graph().streamsOut('D-3001').reduce((sum, s) => sum + flows.get(s.id)! * fraction(s.id), 0);
    expect(Math.abs(inflow - outflow)).toBeLessThan(1e-9);

    const closure = components.closures.find((c) => c.unitId === 'D-3001' && c.component === 'H2')!;
    expect(closure.inflowKgPerS).toBeCloseTo(inflow, 9);
    expect(Math.abs(closure.imbalanceAfterKgPerS!)).toBeLessThan(1e-9);
    expect(Math.abs(closure.imbalanceBeforeKgPerS!)).toBeGreaterThan(Math.abs(closure.imbalanceAfterKgPerS!));

    const rows = await pool.query(`SELECT count(*)::int AS n FROM balancing_stream_compositions WHERE plant_id = $1 AND window_start = $2`, [DEMO_PLANT_ID, HOUR.start]);
    expect(rows.rows[0].n).toBe(components.compositions.length);

    const unit = await readModel.getBalance(DEMO_PLANT_ID, HOUR.start, HOUR.end, 'K-2001');
    expect(unit!.record.componentBalance!.closures.map((c) => `${c.unitId}:${c.component}`)).toEqual(['K-2001:H2']);
    expect(unit!.record.componentBalance!.compositions.map((w) => w.streamId).sort()).toEqual(['h2-dht', 'h2-import', 'h2-nht']);
    expect(unit!.record.grossErrors).toEqual([]);
  }, 90_000);
});
