import { parse } from 'yaml';
import { SMALL_PLANT_YAML } from '../model/plant-model.fixture';
import { checkPlantModel } from '../model/plant-model.parse';
import { toSI } from '../units/unit-of-measure.registry';
import { compositionBasisOf, massToMoleFractions, moleToMassFractions } from './composition-basis';

const M: Record<string, number> = { H2: 2.016, CH4: 16.043, C2H6: 30.07, N2: 28.014 };

describe('mole and mass fractions', () => {
  it('converts mole fractions to mass fractions with molar masses: 80 mol% H2 in a refinery fuel gas is about 25 wt%', () => {
    const x = { H2: 0.8, CH4: 0.1, C2H6: 0.05, N2: 0.05 };
    const w = moleToMassFractions(x, (c) => M[c]);
    // Σ x·M = 1.6128 + 1.6043 + 1.5035 + 1.4007 = 6.1213
    expect(w['H2']).toBeCloseTo(1.6128 / 6.1213, 6);
    expect(w['H2']).toBeGreaterThan(0.25);
    expect(w['H2']).toBeLessThan(0.27);
    expect(Object.values(w).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const back = massToMoleFractions(w, (c) => M[c]);
    for (const [c, v] of Object.entries(x)) expect(back[c]).toBeCloseTo(v, 12);
  });

  it('names the component whose molar mass is missing', () => {
    expect(() => moleToMassFractions({ H2: 0.5, Ar: 0.5 }, (c) => M[c])).toThrow(/"Ar"/);
  });

  it('reads the basis from the unit, or from compositionBasis where the unit does not say it', () => {
    expect(compositionBasisOf({ unit: 'mol%' })).toBe('mole');
    expect(compositionBasisOf({ unit: 'wt%' })).toBe('mass');
    expect(compositionBasisOf({ unit: '%' })).toBeUndefined();
    expect(compositionBasisOf({ unit: '%', compositionBasis: 'mole' })).toBe('mole');
    expect(toSI(80, 'mol%')).toBeCloseTo(0.8, 12);
  });
});

describe('composition tags in the plant model', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const doc = () => parse(SMALL_PLANT_YAML) as Record<string, any>;
  const ai = (extra: Record<string, unknown>) => ({ id: 'AI-9', streamId: 'fuel', kind: 'composition', component: 'CH4', range: { min: 0, max: 100 }, uncertainty: { standardDeviation: 0.5, basis: 'absolute' }, samplingPeriodS: 60, ...extra });
  const issues = (d: Record<string, unknown>) => {
    const r = checkPlantModel(d);
    return r.ok ? [] : r.issues.map((i) => [i.path, i.code]);
  };

  it('refuses a composition tag in % that does not say mass or mole, instead of reading it as a mass fraction', () => {
    const d = doc();
    d.tags.push(ai({ unit: '%' }));
    expect(issues(d)).toEqual([['tags[9].compositionBasis', 'TAG.COMPOSITION_BASIS']]);
  });

  it('accepts a mol% tag when the plant model gives the molar masses of its stream, and names the missing ones otherwise', () => {
    const d = doc();
    d.tags.push(ai({ unit: 'mol%' }));
    const components = Object.keys(d.streams.find((s: { id: string }) => s.id === 'fuel').nominal.composition);
    expect(issues(d)).toEqual([['tags[9].component', 'TAG.MOLAR_MASS_MISSING']]);
    d.components = components.map((name) => ({ name, molarMassKgPerKmol: M[name] ?? 28 }));
    expect(issues(d)).toEqual([]);
  });

  it('refuses a basis that contradicts the unit', () => {
    const d = doc();
    d.tags.push(ai({ unit: 'wt%', compositionBasis: 'mole' }));
    expect(issues(d)).toEqual([['tags[9].compositionBasis', 'TAG.COMPOSITION_BASIS_CONFLICT']]);
  });
});
