import { PlantGraph } from '../graph/plant-graph';
import { massBalance, nominalEnergyBalance } from '../balance/unit-balance';
import { componentsAtUnit, nominalComponentBalance } from '../balance/component-balance';
import { parsePlantModel } from '../model/plant-model.parse';
import { unitFitsTagKind } from '../model/tag-kind';
import { unitOfMeasure } from '../units/unit-of-measure.registry';
import { DEMO_PLANTS, loadDemoPlant, readDemoPlantDocument, type DemoPlantName } from './demo-plants';

const MASS_TOLERANCE = (throughputKgPerS: number) => 1e-5 + 1e-9 * throughputKgPerS; // kg/s
const ENERGY_TOLERANCE = (throughputW: number) => 20 + 1e-8 * throughputW; // W

const COMPONENT_TOLERANCE = (throughputKgPerS: number) => 1e-6 + 1e-6 * throughputKgPerS; // kg/s of the component

const expected: Record<DemoPlantName, { tags: [number, number]; energyChecked: number; componentUnits: string[] }> = {
  petrochemical: { tags: [180, 220], energyChecked: 16, componentUnits: ['D-3001', 'K-2001'] },
  steelworks: { tags: [135, 170], energyChecked: 13, componentUnits: ['BL-6001', 'MX-8001'] },
};

describe.each(Object.keys(DEMO_PLANTS) as DemoPlantName[])('demo plant %s', (name) => {
  const graph = new PlantGraph(loadDemoPlant(name));

  it('parses without a single issue', () => {
    const result = parsePlantModel(readDemoPlantDocument(name), 'yaml');
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it('has a tag count in the intended range', () => {
    const [min, max] = expected[name].tags;
    expect(graph.tags().length).toBeGreaterThanOrEqual(min);
    expect(graph.tags().length).toBeLessThanOrEqual(max);
  });

  it('gives every tag an engineering unit that fits its kind', () => {
    for (const tag of graph.tags()) expect([tag.id, unitFitsTagKind(tag.kind, unitOfMeasure(tag.unit).kind)]).toEqual([tag.id, true]);
  });

  it('closes the mass balance of every unit at nominal flows (in − out − accumulation)', () => {
    for (const unit of graph.units()) {
      const balance = massBalance(graph, unit.id);
      expect(balance.inflow).toBeGreaterThanOrEqual(0);
      expect({ unit: unit.id, closes: Math.abs(balance.residual) <= MASS_TOLERANCE(balance.inflow) }).toEqual({ unit: unit.id, closes: true });
    }
  });

  it('closes the energy balance of every unit whose streams carry specified energy', () => {
    let checked = 0;
    for (const unit of graph.units()) {
      const balance = nominalEnergyBalance(graph, unit.id);
      if (!balance) continue;
      checked += 1;
      expect({ unit: unit.id, residualW: balance.residual, closes: Math.abs(balance.residual) <= ENERGY_TOLERANCE(balance.inflow) }).toMatchObject({ unit: unit.id, closes: true });
    }
    expect(checked).toBeGreaterThanOrEqual(expected[name].energyChecked);
  });

  it('closes the component balance (Σ F·w in = out) of every unit that conserves components and declares every composition', () => {
    const checked = new Set<string>();
    for (const unit of graph.units()) {
      for (const component of componentsAtUnit(graph, unit.id)) {
        const balance = nominalComponentBalance(graph, unit.id, component);
        if (!balance) continue;
        checked.add(unit.id);
        expect({ unit: unit.id, component, residualKgPerS: balance.residual, closes: Math.abs(balance.residual) <= COMPONENT_TOLERANCE(balance.inflow) }).toMatchObject({ unit: unit.id, component, closes: true });
      }
    }
    expect([...checked].sort()).toEqual(expect.arrayContaining(expected[name].componentUnits));
  });

  it('closes the whole-plant mass balance over the boundary streams', () => {
    const tanks = graph.units().reduce((sum, unit) => sum + massBalance(graph, unit.id).accumulation, 0);
    const into = graph.boundaryStreams().filter((s) => s.from === null).reduce((sum, s) => sum + (s.nominal.massFlowKgPerS ?? 0), 0);
    const out = graph.boundaryStreams().filter((s) => s.to === null).reduce((sum, s) => sum + (s.nominal.massFlowKgPerS ?? 0), 0);
    expect(Math.abs(into - out - tanks)).toBeLessThan(1e-4);
  });

  it('gives the incidence matrix a zero product with the nominal flows, less accumulation', () => {
    const matrix = graph.incidenceMatrix();
    const flows = matrix.streamIds.map((id) => graph.stream(id).nominal.massFlowKgPerS ?? 0);
    const net = matrix.nodeIds.map(() => 0);
    for (const { row, column, value } of matrix.entries) net[row] += value * flows[column];
    matrix.nodeIds.forEach((id, row) => expect(net[row] - massBalance(graph, id).accumulation).toBeCloseTo(0, 4));
  });
});

describe('demo plant contents', () => {
  it('has the petrochemical units the site needs', () => {
    const types = new PlantGraph(loadDemoPlant('petrochemical')).units().map((unit) => unit.type);
    for (const type of ['column', 'furnace', 'reactor', 'boiler', 'header', 'letdown', 'turbine', 'tank', 'compressor', 'heatExchanger'])
      expect(types).toContain(type);
  });

  it('has the steelworks units and by-product gas holders', () => {
    const graph = new PlantGraph(loadDemoPlant('steelworks'));
    const types = graph.units().map((unit) => unit.type);
    for (const type of ['blastFurnace', 'converter', 'ladleFurnace', 'caster', 'gasHolder', 'stove', 'boiler', 'turbine', 'busbar'])
      expect(types).toContain(type);
    expect(graph.streams().filter((s) => s.medium === 'electricity').length).toBeGreaterThanOrEqual(6);
  });
});
