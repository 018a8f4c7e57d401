import { checkPlantModel, loadDemoPlant, massToMoleFractions, PlantGraph, type PlantModel } from '@reflux/plant-model';
import { componentBalance } from './component-balance';
import { buildPlantNetwork, nominalTagAverages } from './plant-network.mapper';

const WINDOW_S = 3600;
const HEATER_FUEL_H2 = 'AI-3016'; // H2 in the fuel gas to the crude heater (fg-h1001), an outlet of drum D-3001
const MOLAR_MASSES = { H2: 2.016, CH4: 16.043, C2H6: 30.069, C3H8: 44.097, C4H10: 58.123, N2: 28.014, CO2: 44.01 };

/** The demo refinery with AI-3016 reporting mol% H2, as a chromatograph does. */
function withMoleBasisAnalyser(): PlantGraph {
  const model = structuredClone(loadDemoPlant('petrochemical')) as PlantModel;
  const tags = model.tags.map((t) => (t.id === HEATER_FUEL_H2 ? { ...t, unit: 'mol%', compositionBasis: undefined, range: { min: 0, max: 30 } } : t));
  const parsed = checkPlantModel({ ...model, tags, components: Object.entries(MOLAR_MASSES).map(([name, molarMassKgPerKmol]) => ({ name, molarMassKgPerKmol })) });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return new PlantGraph(parsed.model);
}

describe('mole-basis analysers in the component balance', () => {
  const graph = withMoleBasisAnalyser();
  const nominal = graph.stream('fg-h1001').nominal.composition!;
  const moleH2 = massToMoleFractions(nominal, (c) => MOLAR_MASSES[c as keyof typeof MOLAR_MASSES])['H2']!;

  const averagesWithReading = (molPercent: number) => {
    const averages = nominalTagAverages(graph, WINDOW_S);
    averages.set(HEATER_FUEL_H2, { tagId: HEATER_FUEL_H2, value: molPercent });
    return averages;
  };
  const run = (molPercent: number) => {
    const averages = averagesWithReading(molPercent);
    return componentBalance(graph, buildPlantNetwork(graph, averages, { windowS: WINDOW_S, sigmaSource: 'tag' }), averages, { alpha: 0.05 });
  };

  it('converts a mol% reading to the mass fraction with the molar masses: the nominal mole fraction closes the balances', () => {
    expect(moleH2).toBeGreaterThan(0.1); // 1.2 wt% H2 is about 12.5 mol%
    const { record, grossErrors } = run(100 * moleH2);
    expect(grossErrors).toEqual([]);
    expect(record!.globalTest.statistic).toBeLessThan(1e-6);
    const h2 = record!.compositions.find((w) => w.streamId === 'fg-h1001' && w.component === 'H2')!;
    expect(h2.measuredFraction).toBeCloseTo(nominal['H2']!, 9);
  });

  it('names a mole-basis analyser that reads 10 % high with its bias in mol%', () => {
    const { grossErrors } = run(100 * moleH2 * 1.1);
    expect(grossErrors.map((g) => g.tagId)).toEqual([HEATER_FUEL_H2]);
    expect(grossErrors[0].tagUnit).toBe('mol%');
    expect(grossErrors[0].biasTagUnit).toBeCloseTo(10 * moleH2, 1);
    expect(grossErrors[0].relativePercent).toBeGreaterThan(9);
  });
});
