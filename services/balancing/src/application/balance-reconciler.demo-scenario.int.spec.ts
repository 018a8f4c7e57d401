import { carriesMass, loadDemoPlant, PlantGraph, readDemoPlantDocument, type DemoPlantName } from '@reflux/plant-model';
import type { PostgresEventStore } from '@reflux/event-store';
import type { PostgresEventBus } from '@reflux/messaging';
import pino from 'pino';
// The simulator's own data generator and incident schedule: what the simulator writes is what
// balancing must find.
import { createSampleGenerator, DEMO_TARGETS, dailyDemoScenario, type Sample, type SampleGenerator } from '@reflux/plant-simulation';
import { windowAverage, type BucketAggregate } from '../adapters/history/window-average';
import type { GrossErrorRecord, LossRecord } from '../domain/balance-record';
import { balanceStreamId, type BalanceWindow } from '../domain/balance-window';
import type { TagAverage } from '../domain/tag-average';
import { BalanceReconciler } from './balance-reconciler';
import type { HistoryQuery, HistorySource } from './history-source.port';
import { publishPlantModel } from './plant-model.publisher';
import { PlantModelRegistry } from './plant-model.registry';
import { openEventDatabase, TEST_RECONCILER_SETTINGS, type EventDatabase } from '../../test/fixtures/event-database';
import { OutboxBalancePublisher } from '../adapters/bus/outbox.balance-publisher';

const logger = pino({ enabled: false });
const DAY = Date.parse('2026-11-23T00:00:00Z');
const SEED = 42;
const hour = (h: number): BalanceWindow => ({ start: new Date(DAY + h * 3_600_000), end: new Date(DAY + (h + 1) * 3_600_000) });

/**
 * The history as ingestion would serve it for the simulator's samples: per sub-window the average,
 * count and good share of the usable (good or uncertain) samples — equally spaced, so their mean is
 * the time-weighted average — combined by the balancing adapter's own `windowAverage`; level
 * changes from the readings at the window edges (ReadInterpolated).
 */
class SimulatedHistory implements HistorySource {
  readonly queries: HistoryQuery[] = [];

  constructor(
    private readonly graph: PlantGraph,
    private readonly generator: SampleGenerator,
  ) {}

  async readWindow(query: HistoryQuery): Promise<Map<string, TagAverage>> {
    this.queries.push(query);
    const fromMs = query.window.start.getTime();
    const toMs = query.window.end.getTime();
    const bucketMs = Math.round((toMs - fromMs) / query.spreadBuckets);
    const tags = [...new Set([...query.tagIds, ...query.levelTagIds])].map((id) => this.graph.tag(id));
    const samples = new Map<string, Sample[]>(tags.map((t) => [t.id, []]));
    // time-major, so the generator computes each instant's process state once
    for (let t = fromMs; t < toMs; t += 1000)
      for (const tag of tags) if ((t - this.generator.epochMs) % (tag.samplingPeriodS * 1000) === 0) samples.get(tag.id)!.push(this.generator.sample(tag.id, t));
    const out = new Map<string, TagAverage>();
    for (const tag of tags) {
      const buckets: BucketAggregate[] = [];
      for (let start = fromMs; start < toMs; start += bucketMs) {
        const inBucket = samples.get(tag.id)!.filter((s) => s.timestampMs >= start && s.timestampMs < start + bucketMs);
        const usable = inBucket.filter((s) => s.quality !== 'bad');
        buckets.push({
          startMs: start,
          endMs: start + bucketMs,
          count: inBucket.length,
          goodShare: inBucket.length > 0 ? inBucket.filter((s) => s.quality === 'good').length / inBucket.length : undefined,
          twa: usable.length > 0 ? usable.reduce((a, s) => a + s.value, 0) / usable.length : undefined,
        });
      }
      const average = windowAverage(buckets, fromMs, toMs);
      if (!average) continue;
      const levelChange = query.levelTagIds.includes(tag.id) ? this.generator.sample(tag.id, toMs).value - this.generator.sample(tag.id, fromMs).value : undefined;
      out.set(tag.id, { tagId: tag.id, ...average, ...(levelChange !== undefined && { levelChange }) });
    }
    return out;
  }
}

interface Findings {
  readonly types: string[];
  readonly grossErrors: GrossErrorRecord[];
  readonly losses: LossRecord[];
}

const PLANTS: { name: DemoPlantName; equivalentToLoss: string[] }[] = [
  { name: 'petrochemical', equivalentToLoss: [] },
  // the mixing station's consumers burn the gas with unmeasured flue gas: a bias of any outlet meter looks the same
  { name: 'steelworks', equivalentToLoss: ['bias:gas-co6001', 'bias:gas-pb9001', 'bias:gas-pb9002', 'bias:gas-st6001'] },
];

describe('the demo scenario written by the simulator, reconciled by balancing on PostgreSQL', () => {
  let database: EventDatabase;
  let store: PostgresEventStore;
  let bus: PostgresEventBus;
  const models = new PlantModelRegistry();

  beforeAll(async () => {
    database = await openEventDatabase('balancing_demo_scenario');
    ({ store, bus } = database);
  });

  afterAll(async () => {
    await database.close();
  });

  describe.each(PLANTS)('$name', ({ name, equivalentToLoss }) => {
    const graph = new PlantGraph(loadDemoPlant(name));
    const plantId = graph.model.plantId;
    const targets = DEMO_TARGETS[plantId];
    const generator = createSampleGenerator(graph, dailyDemoScenario(graph, DAY, SEED));
    let reconciler: BalanceReconciler;

    beforeAll(async () => {
      await publishPlantModel({ store, publisher: new OutboxBalancePublisher(bus.outbox), registry: models, logger }, plantId, readDemoPlantDocument(name), 'yaml');
      reconciler = new BalanceReconciler({
        store,
        publisher: new OutboxBalancePublisher(bus.outbox),
        models,
        history: new SimulatedHistory(graph, generator),
        logger,
        settings: TEST_RECONCILER_SETTINGS,
      });
    });

    /** Reconciles and stores the window, and returns the events stored for it. */
    async function findings(window: BalanceWindow): Promise<Findings> {
      const result = await reconciler.reconcileWindow({ plantId, window, trigger: 'test' });
      expect(result.replayed).toBe(false);
      const events = await store.readStream(balanceStreamId(plantId, window));
      return {
        types: events.map((e) => e.type),
        grossErrors: events.filter((e) => e.type === 'GrossErrorSuspected').map((e) => (e.data as { grossError: GrossErrorRecord }).grossError),
        losses: events.filter((e) => e.type === 'LossSuspected').map((e) => (e.data as { loss: LossRecord }).loss),
      };
    }

    /** The true mass the leaking unit loses, averaged over the window (kg/s). */
    function trueLoss(window: BalanceWindow): number {
      let sum = 0;
      let n = 0;
      for (let t = window.start.getTime(); t < window.end.getTime(); t += 60_000, n++) {
        const mass = generator.stateAt(t).massFlowKgPerS;
        const flow = (streams: ReturnType<PlantGraph['streamsIn']>) => streams.filter(carriesMass).reduce((a, s) => a + mass.get(s.id)!, 0);
        sum += flow(graph.streamsIn(targets.leakUnit)) - flow(graph.streamsOut(targets.leakUnit));
      }
      return sum / n;
    }

    it.each([0, 3])(`reports only the loss at the leaking unit in leak hour %i (hour 3 also trips a machine)`, async (h) => {
      const window = hour(h);
      const found = await findings(window);
      expect(found.types).toEqual(['BalanceReconciled', 'LossSuspected']);
      const [loss] = found.losses;
      expect(loss.unitId).toBe(targets.leakUnit);
      const truth = trueLoss(window);
      expect(truth / graph.streamsIn(targets.leakUnit).filter(carriesMass).reduce((a, s) => a + s.nominal.massFlowKgPerS!, 0)).toBeGreaterThan(0.5 * targets.leakFraction);
      expect(Math.abs(loss.lossKgPerS - truth)).toBeLessThan(3 * loss.sigmaKgPerS);
      expect([...loss.equivalentIds].sort()).toEqual(equivalentToLoss);
    }, 120_000);

    it.each([1])(`reports only the biased meter, with the injected bias, in transmitter hour %i`, async (h) => {
      const found = await findings(hour(h));
      expect(found.types).toEqual(['BalanceReconciled', 'GrossErrorSuspected']);
      const [gross] = found.grossErrors;
      expect(gross.tagId).toBe(targets.biasedTag);
      expect(gross.equivalentIds).toEqual([]);
      const tag = graph.tag(targets.biasedTag);
      const injected = (targets.biasPercentOfSpan / 100) * (tag.range.max - tag.range.min);
      const sigmaTagUnit = gross.sigmaKgPerS * Math.abs(gross.biasTagUnit / gross.biasKgPerS);
      expect(gross.tagUnit).toBe(tag.unit);
      expect(Math.abs(gross.biasTagUnit - injected)).toBeLessThan(3 * sigmaTagUnit);
      expect(gross.relativePercent).toBeGreaterThan(0);
    }, 120_000);
  });
});
