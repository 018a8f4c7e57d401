import { region2 } from '../steam/iapws-if97';
import { fluidDensity, steamDensity } from './fluid-density';

describe('density of metered fluids at flowing conditions', () => {
  // IAPWS-IF97 (2007), Table 15: verification values of the region 2 basic equation
  it.each([
    [300, 0.0035, 0.394913866e2],
    [700, 0.0035, 0.923015898e2],
    [700, 30, 0.542946619e-2],
  ])('gives steam at %p K and %p MPa the specific volume %p m³/kg of the IF97 verification table', (T, pMPa, v) => {
    expect(steamDensity(pMPa * 1e6, T) * v).toBeCloseTo(1, 8);
    expect(region2(pMPa * 1e6, T).v / v).toBeCloseTo(1, 8);
  });

  it('gives 10 bar, 250 °C steam about 4.30 kg/m³ (steam tables: v = 0.2328 m³/kg)', () => {
    expect(steamDensity(10e5, 523.15)).toBeCloseTo(1 / 0.2328, 1);
  });

  it('refuses steam at or below saturation and in region 3', () => {
    expect(() => steamDensity(10e5, 450)).toThrow(/not above the saturation temperature/);
    expect(() => steamDensity(25e6, 650)).toThrow(/region 3/);
  });

  it('gives a gas p·M/(Z·R·T): methane at 0 °C and 1 atm 0.716 kg/m³ ideal, more with Z < 1', () => {
    const ideal = fluidDensity({ fluid: 'gas', molarMassKgPerKmol: 16.043 }, 101_325, 273.15);
    expect(ideal).toBeCloseTo((101_325 * 16.043) / (8314.462618 * 273.15), 12);
    expect(ideal).toBeCloseTo(0.7158, 4);
    expect(fluidDensity({ fluid: 'gas', molarMassKgPerKmol: 16.043, compressibility: 0.9 }, 101_325, 273.15)).toBeCloseTo(ideal / 0.9, 12);
  });

  it('gives a liquid ρ_ref / (1 + β·(T − T_ref)): a crude 850 kg/m³ at 15 °C is 820.5 kg/m³ at 55 °C', () => {
    const crude = { fluid: 'liquid', referenceDensityKgPerM3: 850, referenceTemperatureK: 288.15, expansionCoefficientPerK: 0.0009 } as const;
    expect(fluidDensity(crude, 5e5, 328.15)).toBeCloseTo(850 / 1.036, 9);
    expect(fluidDensity(crude, 5e5, 288.15)).toBe(850);
  });
});
