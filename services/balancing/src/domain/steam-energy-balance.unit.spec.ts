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

  it('leaves out a plant without steam headers or letdowns', () => {
    const steelworks = new PlantGraph(loadDemoPlant('steelworks'));
    const averages = nominalTagAverages(steelworks, 3600);
    expect(steamEnergyBalance(steelworks, buildPlantNetwork(steelworks, averages, { windowS: 3600, sigmaSource: 'tag' }), averages, 0.05).record).toBeUndefined();
  });
});
