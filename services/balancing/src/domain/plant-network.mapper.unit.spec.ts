import { checkPlantModel, loadDemoPlant, PlantGraph, type PlantModel } from '@reflux/plant-model';
import { accumulationId, reconcile } from '@reflux/reconciliation';
import { buildPlantNetwork, nominalTagAverages } from './plant-network.mapper';
import type { TagAverage } from './tag-average';

const HOUR_S = 3600;

function miniPlant(): PlantModel {
  const tag = (id: string, streamId: string, kind: string, unit: string, max: number) => ({
    id,
    streamId,
    kind,
    unit,
    range: { min: 0, max },
    uncertainty: { standardDeviation: 1, basis: 'percentOfReading' },
    samplingPeriodS: 1,
  });
  return loadFromObject({
    schemaVersion: 1,
    plantId: 'mini',
    name: 'Mini plant',
    sites: [
      {
        id: 's',
        name: 'Site',
        areas: [
          {
            id: 'a',
            name: 'Area',
            units: [
              { id: 'TK-1', name: 'Tank', type: 'tank', inventory: { areaM2: 100, densityKgPerM3: 800, heightM: 10, nominalLevelM: 5, nominalLevelRateMPerS: 0 } },
              { id: 'C-1', name: 'Column', type: 'column' },
            ],
          },
        ],
      },
    ],
    streams: [
      { id: 'feed', name: 'Feed', kind: 'material', medium: 'crude', from: null, to: 'TK-1', nominal: { massFlowKgPerS: 10, densityKgPerM3: 800 } },
      { id: 'charge', name: 'Charge', kind: 'material', medium: 'crude', from: 'TK-1', to: 'C-1', nominal: { massFlowKgPerS: 10 } },
      { id: 'top', name: 'Top', kind: 'material', medium: 'gas', from: 'C-1', to: null, nominal: { massFlowKgPerS: 3, normalDensityKgPerNm3: 1.2 } },
      { id: 'bottom', name: 'Bottom', kind: 'material', medium: 'residue', from: 'C-1', to: null, nominal: { massFlowKgPerS: 7 } },
    ],
    tags: [
      tag('FI-feed', 'feed', 'volumetricFlow', 'm3/h', 100),
      tag('FI-charge', 'charge', 'massFlow', 't/h', 60),
      tag('FI-top', 'top', 'normalVolumetricFlow', 'Nm3/h', 20000),
      tag('FI-bottom', 'bottom', 'massFlow', 'kg/s', 20),
      { id: 'LI-1', unitId: 'TK-1', kind: 'level', unit: '%', range: { min: 0, max: 100 }, uncertainty: { standardDeviation: 0.1, basis: 'absolute' }, samplingPeriodS: 10 },
    ],
  });
}

function loadFromObject(doc: unknown): PlantModel {
  const parsed = checkPlantModel(doc);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.model;
}

const avg = (tagId: string, value: number, extra: Partial<TagAverage> = {}): [string, TagAverage] => [tagId, { tagId, value, ...extra }];

describe('plant model → reconciliation network', () => {
  const graph = new PlantGraph(miniPlant());

  it('converts mass, volumetric and normal volumetric flows to kg/s with the stream densities', () => {
    const averages = new Map([avg('FI-feed', 45), avg('FI-charge', 36), avg('FI-top', 9000), avg('FI-bottom', 7)]);
    const { network, streams } = buildPlantNetwork(graph, averages, { windowS: HOUR_S, sigmaSource: 'tag' });
    const value = (id: string) => network.streams.find((s) => s.id === id)?.value;
    expect(value('feed')).toBeCloseTo((45 / 3600) * 800, 9); // m3/h × kg/m3
    expect(value('charge')).toBeCloseTo(10, 9); // 36 t/h
    expect(value('top')).toBeCloseTo((9000 / 3600) * 1.2, 9); // Nm3/h × kg/Nm3
    expect(value('bottom')).toBe(7);
    // 1 % of reading, converted like the value
    expect(network.streams.find((s) => s.id === 'charge')?.sigma).toBeCloseTo(0.1, 9);
    expect(streams.find((s) => s.streamId === 'top')?.usedTagIds).toEqual(['FI-top']);
    expect(network.nodes.map((n) => n.id).sort()).toEqual(['C-1', 'TK-1']);
    expect(network.streams.find((s) => s.id === 'feed')).toMatchObject({ from: null, to: 'TK-1' });
  });

  it("bounds each measured flow by the top of its meter's span, converted to kg/s", () => {
    const averages = new Map([avg('FI-feed', 45), avg('FI-charge', 36), avg('FI-top', 9000), avg('FI-bottom', 7)]);
    const { network } = buildPlantNetwork(graph, averages, { windowS: HOUR_S, sigmaSource: 'tag' });
    const upper = (id: string) => network.streams.find((s) => s.id === id)?.upper;
    expect(upper('feed')).toBeCloseTo((100 / 3600) * 800, 9); // 100 m3/h × 800 kg/m3
    expect(upper('charge')).toBeCloseTo(60 / 3.6, 9); // 60 t/h
    expect(upper('top')).toBeCloseTo((20000 / 3600) * 1.2, 9);
    expect(upper('bottom')).toBe(20);
  });

  it('turns a level change into a tank accumulation: Δlevel × area × density / Δt', () => {
    // 1 % of a 10 m tank = 0.1 m over an hour: 0.1 × 100 m² × 800 kg/m³ / 3600 s
    const averages = new Map([avg('FI-charge', 36), avg('LI-1', 50, { levelChange: 1 })]);
    const { network, tanks } = buildPlantNetwork(graph, averages, { windowS: HOUR_S, sigmaSource: 'tag' });
    const tank = network.nodes.find((n) => n.id === 'TK-1');
    expect(tank?.accumulation?.measured).toBe(true);
    expect(tank?.accumulation?.value).toBeCloseTo((0.1 * 100 * 800) / 3600, 9);
    // two independent level readings of 0.1 % each → √2 × 0.01 m
    expect(tank?.accumulation?.sigma).toBeCloseTo((Math.SQRT2 * 0.01 * 100 * 800) / 3600, 9);
    expect(tanks[0]).toMatchObject({ unitId: 'TK-1', accumulationId: accumulationId('TK-1'), levelTagIds: ['LI-1'] });
  });

  it('leaves a stream unmeasured when its tag has no samples or too few good ones, and says why', () => {
    const averages = new Map([avg('FI-feed', 45, { sampleCount: 0 }), avg('FI-charge', 36, { goodShare: 0.2 }), avg('FI-bottom', 7)]);
    const { network, warnings } = buildPlantNetwork(graph, averages, { windowS: HOUR_S, sigmaSource: 'tag' });
    expect(network.streams.filter((s) => s.measured).map((s) => s.id)).toEqual(['bottom']);
    expect(warnings).toEqual(expect.arrayContaining([expect.stringContaining('FI-feed: no samples'), expect.stringContaining('FI-charge: only 20 % good')]));
    expect(network.nodes.find((n) => n.id === 'TK-1')?.accumulation).toMatchObject({ measured: false });
  });

  it('leaves a tag out when its history covers too little of the window', () => {
    const averages = new Map([avg('FI-bottom', 7, { coverage: 0.4 }), avg('FI-charge', 36, { coverage: 0.95 })]);
    const { network, warnings } = buildPlantNetwork(graph, averages, { windowS: HOUR_S, sigmaSource: 'tag' });
    expect(network.streams.filter((s) => s.measured).map((s) => s.id)).toEqual(['charge']);
    expect(warnings).toEqual(['tag FI-bottom: data covers only 40 % of the window; not used']);
  });

  it('uses the window spread as sigma only when configured to', () => {
    const averages = new Map([avg('FI-bottom', 7, { standardDeviation: 0.02 })]);
    const byTag = buildPlantNetwork(graph, averages, { windowS: HOUR_S, sigmaSource: 'tag' });
    const byWindow = buildPlantNetwork(graph, averages, { windowS: HOUR_S, sigmaSource: 'window' });
    expect(byTag.network.streams.find((s) => s.id === 'bottom')?.sigma).toBeCloseTo(0.07, 9);
    expect(byWindow.network.streams.find((s) => s.id === 'bottom')?.sigma).toBeCloseTo(0.02, 9);
  });

  it.each(['petrochemical', 'steelworks'] as const)('reconciles the nominal state of the %s demo plant without rejecting the global test', async (name) => {
    const demo = new PlantGraph(loadDemoPlant(name));
    const mapping = buildPlantNetwork(demo, nominalTagAverages(demo, HOUR_S), { windowS: HOUR_S, sigmaSource: 'tag' });
    expect(mapping.warnings).toEqual([]);
    const result = await reconcile(mapping.network);
    expect(result.globalTest.statistic).toBeLessThan(1e-6);
    expect(result.globalTest.rejected).toBe(false);
    expect(result.grossErrors).toEqual([]);
    expect(result.counts.redundant).toBeGreaterThan(0);
  });
});
