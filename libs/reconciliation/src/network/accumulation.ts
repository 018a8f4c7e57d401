/**
 * Accumulation (hold-up change) of a tank as a mass flow, with its standard deviation by
 * first-order error propagation: acc = Δlevel · area · density / Δt.
 */
export interface LevelChange {
  readonly levelChange_m: number;
  readonly levelChangeSigma_m: number;
  readonly area_m2: number;
  readonly density_kg_per_m3: number;
  readonly densitySigma_kg_per_m3?: number;
  readonly interval_s: number;
}

export function accumulationFromLevel(c: LevelChange): { value: number; sigma: number } {
  if (!(c.interval_s > 0)) throw new RangeError('interval_s must be > 0');
  if (!(c.area_m2 > 0)) throw new RangeError('area_m2 must be > 0');
  const k = c.area_m2 / c.interval_s;
  const value = c.levelChange_m * k * c.density_kg_per_m3;
  const dLevel = k * c.density_kg_per_m3 * c.levelChangeSigma_m;
  const dRho = k * c.levelChange_m * (c.densitySigma_kg_per_m3 ?? 0);
  return { value, sigma: Math.sqrt(dLevel * dLevel + dRho * dRho) };
}
