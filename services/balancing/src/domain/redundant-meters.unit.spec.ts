import { checkPlantModel, PlantGraph, type PlantModel } from '@reflux/plant-model';
import { reconcile } from '@reflux/reconciliation';
import { buildBalanceRecord } from './balance-record.builder';
import { buildPlantNetwork } from './plant-network.mapper';
import type { TagAverage } from './tag-average';

const HOUR_S = 3600;

/** Feed → splitter → two products; the feed has three meters, product A two, product B one (1 % of reading each). */
function meteredPlant(): PlantGraph {
  const meter = (id: string, streamId: string) => ({
    id,
    streamId,
    kind: 'massFlow',
    unit: 'kg/s',
    range: { min: 0, max: 40 },
    uncertainty: { standardDeviation: 1, basis: 'percentOfReading' },
    samplingPeriodS: 1,
  });
  const parsed = checkPlantModel({
    schemaVersion: 1,
    plantId: 'metered',
    name: 'Metered plant',
    sites: [{ id: 's', name: 'Site', areas: [{ id: 'a', name: 'Area', units: [{ id: 'SPLIT', name: 'Splitter', type: 'splitter' }] }] }],
    streams: [
      { id: 'feed', name: 'Feed', kind: 'material', medium: 'naphtha', from: null, to: 'SPLIT', nominal: { massFlowKgPerS: 20 } },
      { id: 'prod-a', name: 'Product A', kind: 'material', medium: 'naphtha', from: 'SPLIT', to: null, nominal: { massFlowKgPerS: 12 } },
      { id: 'prod-b', name: 'Product B', kind: 'material', medium: 'naphtha', from: 'SPLIT', to: null, nominal: { massFlowKgPerS: 8 } },
    ],
    tags: [meter('FI-1', 'feed'), meter('FI-2', 'feed'), meter('FI-3', 'feed'), meter('FI-A1', 'prod-a'), meter('FI-A2', 'prod-a'), meter('FI-B', 'prod-b')],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return new PlantGraph(parsed.model as PlantModel);
}

const averagesOf = (values: Record<string, number>): Map<string, TagAverage> => new Map(Object.entries(values).map(([tagId, value]) => [tagId, { tagId, value }]));

async function balance(graph: PlantGraph, averages: Map<string, TagAverage>) {
  const mapping = buildPlantNetwork(graph, averages, { windowS: HOUR_S, sigmaSource: 'tag' });
  const result = await reconcile(mapping.network, { alpha: 0.05 });
  return buildBalanceRecord({ graph, plantModelVersion: 1, window: { start: '2026-01-01T00:00:00.000Z', end: '2026-01-01T01:00:00.000Z' }, source: 'request', alpha: 0.05, mapping, averages, result });
}

describe('redundant meters: each meter is its own measurement of the stream', () => {
  const graph = meteredPlant();

  it('names the one of three feed meters that reads 10 % high, not the first of them', async () => {
    const record = await balance(graph, averagesOf({ 'FI-1': 20, 'FI-2': 22, 'FI-3': 20, 'FI-A1': 12, 'FI-A2': 12, 'FI-B': 8 }));
    expect(record.globalTest.rejected).toBe(true);
    expect(record.grossErrors.map((g) => [g.tagId, g.streamId])).toEqual([['FI-2', 'feed']]);
    expect(record.grossErrors[0].biasKgPerS).toBeCloseTo(2, 1);
    expect(record.losses).toEqual([]);
    // after compensation the other meters agree with the balance
    expect(record.globalTestAfter.rejected).toBe(false);
    const feed = record.streams.find((s) => s.streamId === 'feed')!;
    expect(feed.reconciledKgPerS).toBeCloseTo(20, 1);
    expect(feed.meters?.map((m) => [m.tagId, m.grossError])).toEqual([
      ['FI-1', false],
      ['FI-2', true],
      ['FI-3', false],
    ]);
  });

  it('counts two meters that disagree as evidence even where the balance alone has no redundancy', async () => {
    // product B unmeasured: the splitter balance determines it, so without the second meter
    // nothing would be redundant on product A's side
    const averages = averagesOf({ 'FI-1': 20, 'FI-A1': 12, 'FI-A2': 12.6 });
    const record = await balance(graph, averages);
    // the two product-A meters are a redundant pair: one degree of freedom
    expect(record.globalTest.dof).toBe(1);
    // 12 vs 12.6 with 1 % sigma each: |Δ| / √(0.12² + 0.126²) ≈ 3.45 > 1.96
    expect(record.globalTest.rejected).toBe(true);
    expect(record.streams.find((s) => s.streamId === 'prod-a')?.classification).toBe('redundant');
    // two meters alone cannot say which of them lies: the two are reported as equivalent
    expect(record.grossErrors).toHaveLength(1);
    const [named] = record.grossErrors;
    expect(['FI-A1', 'FI-A2']).toContain(named.tagId);
    expect(named.equivalentIds).toEqual([`bias:prod-a@${named.tagId === 'FI-A1' ? 'FI-A2' : 'FI-A1'}`]);
  });

  it('reports plant streams and units only: meter segments and their junctions stay inside the network', async () => {
    const record = await balance(graph, averagesOf({ 'FI-1': 20, 'FI-2': 20.1, 'FI-3': 19.9, 'FI-A1': 12, 'FI-A2': 12.05, 'FI-B': 8 }));
    expect(record.streams.map((s) => s.streamId).sort()).toEqual(['feed', 'prod-a', 'prod-b']);
    expect(record.units.map((u) => u.unitId)).toEqual(['SPLIT']);
    expect(record.counts).toMatchObject({ streams: 3, measured: 3, balanceEquations: 1 });
    // feed: 3 meters, prod-a: 2, prod-b: 1 → 2 + 1 meter equations + 1 splitter balance
    expect(record.globalTest.dof).toBe(4);
    expect(record.globalTest.rejected).toBe(false);
    expect(record.streams.find((s) => s.streamId === 'feed')?.measuredKgPerS).toBeCloseTo(20, 2);
  });
});
