import { loadDemoPlant, PlantGraph, type PlantModel } from '@reflux/plant-model';
import { planComponentBalances } from './component-balance.plan';

const petrochemical = loadDemoPlant('petrochemical');
const withUnit = (model: PlantModel, unitId: string, patch: Record<string, unknown>): PlantModel => ({
  ...model,
  sites: model.sites.map((site) => ({
    ...site,
    areas: site.areas.map((area) => ({ ...area, units: area.units.map((u) => (u.id === unitId ? { ...u, ...patch } : u)) })),
  })),
});
const planned = (model: PlantModel) => planComponentBalances(new PlantGraph(model)).map((p) => `${p.unitId}:${p.component}${p.outletsShared ? ' (one outlet composition)' : ''}`);

describe('planning the component balances of a plant model', () => {
  it('balances the analysed components over the fuel-gas drum and the hydrogen compressor of the demo refinery', () => {
    expect(planned(petrochemical).sort()).toEqual([
      'D-3001:C2H6 (one outlet composition)',
      'D-3001:CH4 (one outlet composition)',
      'D-3001:H2 (one outlet composition)',
      'K-2001:H2 (one outlet composition)',
    ]);
  });

  it('writes none over furnaces, boilers and reactors, nor over units with a stream of undeclared composition (the strippers, the crude column)', () => {
    const units = new Set(planComponentBalances(new PlantGraph(petrochemical)).map((p) => p.unitId));
    for (const unitId of ['H-1001', 'B-4001', 'B-4002', 'R-2001', 'R-2002', 'C-2001', 'C-2002', 'C-1001']) expect(units.has(unitId)).toBe(false);
  });

  it('leaves out components without any analyser at the unit (N2, CO2, C3H8 at the drum)', () => {
    const components = planComponentBalances(new PlantGraph(petrochemical)).filter((p) => p.unitId === 'D-3001').map((p) => p.component);
    for (const c of ['N2', 'CO2', 'C3H8', 'C4H10']) expect(components).not.toContain(c);
  });

  it('follows the model when it lists the conserved components or switches them off', () => {
    expect(planned(withUnit(petrochemical, 'D-3001', { conservedComponents: ['H2'] })).filter((p) => p.startsWith('D-3001'))).toEqual(['D-3001:H2 (one outlet composition)']);
    expect(planned(withUnit(petrochemical, 'D-3001', { conservedComponents: [] })).filter((p) => p.startsWith('D-3001'))).toEqual([]);
  });

  it('does not tie the outlets together when the model says they differ', () => {
    expect(planned(withUnit(petrochemical, 'K-2001', { outletsShareComposition: false }))).toContain('K-2001:H2');
  });

  it('balances the analysed gases over the steelworks gas mixing station', () => {
    const units = new Set(planComponentBalances(new PlantGraph(loadDemoPlant('steelworks'))).map((p) => p.unitId));
    expect(units.has('MX-8001')).toBe(true);
  });
});
