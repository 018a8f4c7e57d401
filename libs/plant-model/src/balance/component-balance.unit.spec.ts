import { PlantGraph } from '../graph/plant-graph';
import { parsePlantModel } from '../model/plant-model.parse';
import type { Unit } from '../model/plant-model.schema';
import { conservesComponent, nominalComponentBalance, nominalMassFraction, outletsShareComposition } from './component-balance';

const unit = (overrides: Partial<Unit>): Unit => ({ id: 'U-1', name: 'Unit', type: 'mixer', ...overrides }) as Unit;

const MIXER_YAML = `
schemaVersion: 1
plantId: mixer-plant
name: Mixer plant
sites: [{ id: s, name: S, areas: [{ id: a, name: A, units: [{ id: MX-1, name: Mixer, type: mixer }, { id: R-1, name: Reactor, type: reactor }] }] }]
streams:
  - { id: gas-a, name: A, kind: material, medium: gas, from: null, to: MX-1, nominal: { massFlowKgPerS: 2, composition: { H2: 0.5, CH4: 0.5 } } }
  - { id: gas-b, name: B, kind: material, medium: gas, from: null, to: MX-1, nominal: { massFlowKgPerS: 3, composition: { CH4: 1 } } }
  - { id: mixed, name: M, kind: material, medium: gas, from: MX-1, to: R-1, nominal: { massFlowKgPerS: 5, composition: { H2: 0.2, CH4: 0.8 } } }
  - { id: product, name: P, kind: material, medium: gas, from: R-1, to: null, nominal: { massFlowKgPerS: 5 } }
`;

describe('component balances in the plant model', () => {
  it('lets non-reactive unit types conserve every component and reactive ones none, unless the model lists them', () => {
    expect(conservesComponent(unit({ type: 'mixer' }), 'H2')).toBe(true);
    expect(conservesComponent(unit({ type: 'reactor' }), 'H2')).toBe(false);
    expect(conservesComponent(unit({ type: 'reactor', conservedComponents: ['N2'] }), 'N2')).toBe(true);
    expect(conservesComponent(unit({ type: 'reactor', conservedComponents: ['N2'] }), 'H2')).toBe(false);
    expect(conservesComponent(unit({ type: 'mixer', conservedComponents: [] }), 'H2')).toBe(false);
  });

  it('never balances components over a unit with an inventory (the hold-up composition is not modelled)', () => {
    const inventory = { areaM2: 1, densityKgPerM3: 1, heightM: 1, nominalLevelM: 0.5, nominalLevelRateMPerS: 0 };
    expect(conservesComponent(unit({ type: 'tank', inventory }), 'H2')).toBe(false);
  });

  it('ties the outlets of well-mixed unit types to one composition unless the model says otherwise', () => {
    expect(outletsShareComposition(unit({ type: 'header' }))).toBe(true);
    expect(outletsShareComposition(unit({ type: 'column' }))).toBe(false);
    expect(outletsShareComposition(unit({ type: 'column', outletsShareComposition: true }))).toBe(true);
    expect(outletsShareComposition(unit({ type: 'mixer', outletsShareComposition: false }))).toBe(false);
  });

  it('reads a component missing from a declared composition as zero and an undeclared composition as unknown', () => {
    const result = parsePlantModel(MIXER_YAML, 'yaml');
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const graph = new PlantGraph(result.model);
    expect(nominalMassFraction(graph.stream('gas-b'), 'H2')).toBe(0);
    expect(nominalMassFraction(graph.stream('product'), 'H2')).toBeUndefined();
  });

  it('computes Σ in F·w − Σ out F·w at nominal, and nothing over a reactor or a stream of unknown composition', () => {
    const result = parsePlantModel(MIXER_YAML, 'yaml');
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const graph = new PlantGraph(result.model);
    expect(nominalComponentBalance(graph, 'MX-1', 'H2')).toMatchObject({ inflow: 1, outflow: 1, residual: 0 });
    expect(nominalComponentBalance(graph, 'MX-1', 'CH4')).toMatchObject({ inflow: 4, outflow: 4, residual: 0 });
    expect(nominalComponentBalance(graph, 'R-1', 'H2')).toBeUndefined();
  });

  it('accepts documents without the new unit fields (old documents stay valid)', () => {
    const result = parsePlantModel(MIXER_YAML, 'yaml');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.model.sites[0].areas[0].units[0].conservedComponents).toBeUndefined();
  });
});
