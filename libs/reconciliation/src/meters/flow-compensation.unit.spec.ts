import { steamDensity } from './fluid-density';
import { massFlowPerReading } from './flow-compensation';

describe('pressure and temperature compensation of flow meters', () => {
  it('corrects a mass reading of a DP meter by √(ρ/ρ_d): gas at a quarter of its design density flows half as much mass', () => {
    expect(massFlowPerReading({ element: 'differentialPressure', output: 'mass', actualDensityKgPerM3: 1, designDensityKgPerM3: 4 })).toBeCloseTo(0.5, 12);
  });

  it('turns a volumetric reading of a DP meter into mass by √(ρ·ρ_d), of a linear meter by ρ', () => {
    expect(massFlowPerReading({ element: 'differentialPressure', output: 'volume', actualDensityKgPerM3: 1, designDensityKgPerM3: 4 })).toBeCloseTo(2, 12);
    expect(massFlowPerReading({ element: 'linear', output: 'volume', actualDensityKgPerM3: 1, designDensityKgPerM3: 4 })).toBe(1);
  });

  it('turns a normal-volume reading into mass by ρ_n·√(ρ/ρ_d) (DP) and ρ_n·ρ/ρ_d (linear)', () => {
    const base = { actualDensityKgPerM3: 9, designDensityKgPerM3: 4, normalDensityKgPerNm3: 0.8 } as const;
    expect(massFlowPerReading({ element: 'differentialPressure', output: 'normalVolume', ...base })).toBeCloseTo(0.8 * 1.5, 12);
    expect(massFlowPerReading({ element: 'linear', output: 'normalVolume', ...base })).toBeCloseTo((0.8 * 9) / 4, 12);
  });

  it('is the uncompensated conversion at design density', () => {
    for (const element of ['differentialPressure', 'linear'] as const) {
      expect(massFlowPerReading({ element, output: 'volume', actualDensityKgPerM3: 800, designDensityKgPerM3: 800 })).toBeCloseTo(800, 9);
      expect(massFlowPerReading({ element, output: 'normalVolume', actualDensityKgPerM3: 5, designDensityKgPerM3: 5, normalDensityKgPerNm3: 0.7 })).toBeCloseTo(0.7, 12);
    }
    expect(massFlowPerReading({ element: 'differentialPressure', output: 'mass', actualDensityKgPerM3: 5, designDensityKgPerM3: 5 })).toBe(1);
  });

  it('makes an orifice steam meter designed for 10 bar, 250 °C read about 10 % high in mass at 8 bar, 230 °C (true flow ≈ 0.91 × reading)', () => {
    const factor = massFlowPerReading({ element: 'differentialPressure', output: 'mass', actualDensityKgPerM3: steamDensity(8e5, 503.15), designDensityKgPerM3: steamDensity(10e5, 523.15) });
    // √(3.54 / 4.30) ≈ 0.908
    expect(factor).toBeCloseTo(Math.sqrt(steamDensity(8e5, 503.15) / steamDensity(10e5, 523.15)), 12);
    expect(factor).toBeGreaterThan(0.9);
    expect(factor).toBeLessThan(0.92);
  });

  it('refuses to compensate a linear mass meter and a normal volume without its normal density', () => {
    expect(() => massFlowPerReading({ element: 'linear', output: 'mass', actualDensityKgPerM3: 1, designDensityKgPerM3: 1 })).toThrow(/Coriolis/);
    expect(() => massFlowPerReading({ element: 'linear', output: 'normalVolume', actualDensityKgPerM3: 1, designDensityKgPerM3: 1 })).toThrow(/normal density/);
  });
});
