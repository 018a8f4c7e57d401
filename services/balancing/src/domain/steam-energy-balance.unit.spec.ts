import { loadDemoPlant, PlantGraph } from '@reflux/plant-model';
import { buildPlantNetwork, nominalTagAverages } from './plant-network.mapper';
import { steamEnergyBalance } from './steam-energy-balance';

const graph = new PlantGraph(loadDemoPlant('petrochemical'));

function balance(adjust?: (averages: ReturnType<typeof nominalTagAverages>) => void) {
  const averages = nominalTagAverages(graph, 3600);
  adjust?.(averages);
  return steamEnergyBalance(graph, buildPlantNetwork(graph, averages, { windowS: 3600, sigmaSource: 'tag' }), averages, 0.05);
}

describe('steam system energy balance', () => {
  it('balances the headers and letdown stations of the demo site at nominal conditions', () => {
    const { record, warnings } = balance();
    expect(warnings).toEqual([]);
    expect(record!.unitIds).toEqual(['HDR-4001', 'HDR-4002', 'HDR-4003', 'PV-4001', 'PV-4002']);
    expect(record!.globalTest.rejected).toBe(false);
    expect(record!.globalTest.dof).toBeGreaterThan(0);
    const hp = record!.temperatures.find((t) => t.streamId === 'hp-pv4001')!;
    expect(hp.measuredK).toBeCloseTo(673.15, 6);
    expect(hp.reconciledK).toBeCloseTo(673.15, 0);
  });

  it('rejects the energy balance when a steam thermometer reads 10 K high, flagging the temperatures of its header', () => {
    const tag = graph.tagsOfStream('mp-pv4001').find((t) => t.kind === 'temperature')!;
    const { record } = balance((averages) => {
      const a = averages.get(tag.id)!;
      averages.set(tag.id, { ...a, value: a.value + 10 });
    });
    expect(record!.globalTest.rejected).toBe(true);
    const flagged = record!.temperatures.filter((t) => t.suspect).map((t) => t.streamId);
    expect(flagged).toContain('mp-pv4001');
    expect(flagged.every((id) => ['mp-pv4001', 'mp-st4001', 'mp-strip-c1001', 'mp-export', 'mp-pv4002'].includes(id))).toBe(true);
    const hot = record!.temperatures.find((t) => t.streamId === 'mp-pv4001')!;
    expect(hot.measuredK! - hot.reconciledK!).toBeGreaterThan(0); // pulled down towards the balance
  });

  it('does not use a steam thermometer whose window has too few good samples or too little coverage, and says why', () => {
    const hot = graph.tagsOfStream('mp-pv4001').find((t) => t.kind === 'temperature')!;
    const stale = graph.tagsOfStream('hp-pv4001').find((t) => t.kind === 'temperature')!;
    const { record, warnings } = balance((averages) => {
      // a thermometer that failed high for most of the hour, and one that stopped reporting
      averages.set(hot.id, { ...averages.get(hot.id)!, value: averages.get(hot.id)!.value + 10, goodShare: 0.2 });
      averages.set(stale.id, { ...averages.get(stale.id)!, coverage: 0.3 });
    });
    expect(warnings).toEqual(expect.arrayContaining([`tag ${hot.id}: only 20 % good samples; not used`, `tag ${stale.id}: data covers only 30 % of the window; not used`]));
    expect(record!.globalTest.rejected).toBe(false);
    expect(record!.temperatures.find((t) => t.streamId === 'mp-pv4001')!.measuredK).toBeNull();
  });

  it('leaves out a plant without steam headers or letdowns', () => {
    const steelworks = new PlantGraph(loadDemoPlant('steelworks'));
    const averages = nominalTagAverages(steelworks, 3600);
    expect(steamEnergyBalance(steelworks, buildPlantNetwork(steelworks, averages, { windowS: 3600, sigmaSource: 'tag' }), averages, 0.05).record).toBeUndefined();
  });
});
