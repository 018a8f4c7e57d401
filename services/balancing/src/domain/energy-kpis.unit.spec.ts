import { loadDemoPlant, PlantGraph } from '@reflux/plant-model';
import { energyFigures } from './energy-kpis';
import { nominalTagAverages } from './plant-network.mapper';

describe('energy figures', () => {
  const graph = new PlantGraph(loadDemoPlant('petrochemical'));
  const nominalFlows = new Map(graph.streams().map((s) => [s.id, s.nominal.massFlowKgPerS ?? null]));
  const h = (id: string) => graph.stream(id).nominal.specificEnthalpyJPerKg!;
  const flow = (id: string) => graph.stream(id).nominal.massFlowKgPerS!;
  const power = (id: string) => graph.stream(id).nominal.powerW!;

  it('counts bought energy carriers as import, named exports as export, and products without waste', () => {
    const figures = energyFigures(graph, nominalFlows, nominalTagAverages(graph, 3600), []);
    // natural gas at its lower heating value plus grid electricity (from its power tag)
    expect(figures.energyImportW).toBeCloseTo(flow('natural-gas-import') * h('natural-gas-import') + power('el-grid-import'), -3);
    // MP and LP steam exports; heat losses and other electrical loads are not exports
    expect(figures.energyExportW).toBeCloseTo(flow('mp-export') * h('mp-export') + flow('lp-export') * h('lp-export'), -3);
    const products = ['naphtha-export', 'kerosene-export', 'diesel-export', 'residue-export'].reduce((a, id) => a + flow(id), 0);
    expect(figures.productKgPerS).toBeCloseTo(products, 9);
    expect(figures.specificEnergyGjPerT).toBeCloseTo(figures.energyImportW! / products / 1e6, 12);
  });

  it('leaves the specific consumption unknown when a product flow is not observable', () => {
    const flows = new Map(nominalFlows);
    flows.set('diesel-export', null);
    const figures = energyFigures(graph, flows, new Map(), []);
    expect(figures.productKgPerS).toBeNull();
    expect(figures.specificEnergyGjPerT).toBeNull();
    expect(figures.energyImportW).toBeCloseTo(flow('natural-gas-import') * h('natural-gas-import'), -3); // no power tag average: electricity left out
  });
});
