import { accumulationFromLevel } from './accumulation';

describe('accumulationFromLevel', () => {
  it('turns a level change into a mass flow with a propagated sigma', () => {
    // 0.12 m rise in a 50 m² tank of 850 kg/m³ over one hour: 0.12·50·850/3600 = 1.41667 kg/s.
    const acc = accumulationFromLevel({ levelChange_m: 0.12, levelChangeSigma_m: 0.01, area_m2: 50, density_kg_per_m3: 850, densitySigma_kg_per_m3: 5, interval_s: 3600 });
    expect(acc.value).toBeCloseTo(1.4166667, 6);
    const dLevel = (50 * 850 * 0.01) / 3600;
    const dRho = (50 * 0.12 * 5) / 3600;
    expect(acc.sigma).toBeCloseTo(Math.hypot(dLevel, dRho), 12);
  });

  it('rejects a non-positive interval', () => {
    expect(() => accumulationFromLevel({ levelChange_m: 0.1, levelChangeSigma_m: 0.01, area_m2: 1, density_kg_per_m3: 1000, interval_s: 0 })).toThrow(RangeError);
  });
});
