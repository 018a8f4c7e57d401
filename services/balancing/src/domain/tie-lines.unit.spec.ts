import { checkPlantModel, PlantGraph, type PlantModel } from '@reflux/plant-model';
import { reconcile } from '@reflux/reconciliation';
import { buildPlantNetwork } from './plant-network.mapper';
import type { TagAverage } from './tag-average';

const HOUR_S = 3600;

/** Two plants joined by a tie-line declared from A to B; B also has a feed and a product. */
function twoPlants(options: { bidirectional?: boolean; tieMeterMin?: number } = {}): PlantGraph {
  const meter = (id: string, streamId: string, min: number, max: number) => ({
    id,
    streamId,
    kind: 'massFlow',
    unit: 'kg/s',
    range: { min, max },
    uncertainty: { standardDeviation: 0.05, basis: 'absolute' },
    samplingPeriodS: 1,
  });
  const stream = (id: string, from: string | null, to: string | null, massFlowKgPerS: number, extra: object = {}) => ({ id, name: id, kind: 'material', medium: 'fuelGas', from, to, nominal: { massFlowKgPerS }, ...extra });
  const parsed = checkPlantModel({
    schemaVersion: 1,
    plantId: 'tie',
    name: 'Tie-line plants',
    sites: [{ id: 's', name: 'Site', areas: [{ id: 'a', name: 'Area', units: [{ id: 'A', name: 'A', type: 'header' }, { id: 'B', name: 'B', type: 'header' }] }] }],
    streams: [
      stream('a-in', null, 'A', 10),
      stream('a-out', 'A', null, 8),
      stream('tie', 'A', 'B', 2, options.bidirectional === undefined ? {} : { bidirectional: options.bidirectional }),
      stream('b-in', null, 'B', 3),
      stream('b-out', 'B', null, 5),
    ],
    tags: [meter('FI-a-in', 'a-in', 0, 20), meter('FI-a-out', 'a-out', 0, 20), meter('FI-b-in', 'b-in', 0, 20), meter('FI-b-out', 'b-out', 0, 20), meter('FI-tie', 'tie', options.tieMeterMin ?? -10, 10)],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return new PlantGraph(parsed.model as PlantModel);
}

/** Today the tie-line runs backwards: B sends 2 kg/s to A. */
const reversed = (withTieMeter: boolean) =>
  new Map<string, TagAverage>(
    [
      ['FI-a-in', 10],
      ['FI-a-out', 12],
      ['FI-b-in', 5],
      ['FI-b-out', 3],
      ...(withTieMeter ? ([['FI-tie', -2]] as const) : []),
    ].map(([tagId, value]) => [tagId as string, { tagId: tagId as string, value: value as number }]),
  );

const tieFlow = async (graph: PlantGraph, averages: Map<string, TagAverage>) => {
  const mapping = buildPlantNetwork(graph, averages, { windowS: HOUR_S, sigmaSource: 'tag' });
  const result = await reconcile(mapping.network, { alpha: 0.05, gains: true });
  return { mapping, result, tie: result.streams.find((s) => s.id === 'tie')?.reconciled };
};

describe('tie-lines that flow both ways', () => {
  it('reconciles a bidirectional tie-line negative when the plant sends the other way, and the balance closes', async () => {
    const { tie, result } = await tieFlow(twoPlants({ bidirectional: true }), reversed(true));
    expect(tie).toBeCloseTo(-2, 6);
    expect(result.globalTest.rejected).toBe(false);
  });

  it('estimates an unmeasured bidirectional tie-line backwards from the two balances', async () => {
    const averages = reversed(false);
    const { tie, mapping } = await tieFlow(twoPlants({ bidirectional: true }), averages);
    expect(mapping.network.streams.find((s) => s.id === 'tie')).toMatchObject({ measured: false, lower: null });
    expect(tie).toBeCloseTo(-2, 6);
  });

  it("bounds a bidirectional tie-line below by its meter's negative span", () => {
    const { network } = buildPlantNetwork(twoPlants({ bidirectional: true, tieMeterMin: -5 }), reversed(true), { windowS: HOUR_S, sigmaSource: 'tag' });
    expect(network.streams.find((s) => s.id === 'tie')).toMatchObject({ lower: -5, upper: 10 });
  });

  it('keeps an ordinary stream at or above zero flow', async () => {
    const { mapping, tie } = await tieFlow(twoPlants(), reversed(true));
    expect(mapping.network.streams.find((s) => s.id === 'tie')?.lower).toBeUndefined();
    expect(tie).toBeGreaterThanOrEqual(-1e-9);
  });
});
