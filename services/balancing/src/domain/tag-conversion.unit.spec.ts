import type { Tag } from '@reflux/plant-model';
import { tagSigma } from './tag-conversion';

/** A 0–100 t/h DP flow meter. */
const dpMeter = (uncertainty: Tag['uncertainty']): Tag =>
  ({ id: 'FI-1', streamId: 's', kind: 'massFlow', unit: 't/h', range: { min: 0, max: 100 }, uncertainty, samplingPeriodS: 1 }) as Tag;

describe('sigma of a reading with a floor in % of span', () => {
  it('keeps percent of reading above the floor', () => {
    expect(tagSigma(dpMeter({ standardDeviation: 1, basis: 'percentOfReading' }), 60)).toBeCloseTo(0.6, 12);
  });

  it('floors a percent-of-reading meter near zero flow at that percentage of 10 % of the span by default', () => {
    // 1 % of 2 t/h would be 0.02 t/h, the most precise meter of the plant; the floor is 1 % of 10 t/h
    expect(tagSigma(dpMeter({ standardDeviation: 1, basis: 'percentOfReading' }), 2)).toBeCloseTo(0.1, 12);
    expect(tagSigma(dpMeter({ standardDeviation: 1, basis: 'percentOfReading' }), 0)).toBeCloseTo(0.1, 12);
  });

  it("uses the meter's own floor in % of span from the plant model", () => {
    const meter = dpMeter({ standardDeviation: 1, basis: 'percentOfReading', floorPercentOfSpan: 0.5 });
    expect(tagSigma(meter, 2)).toBeCloseTo(0.5, 12);
    expect(tagSigma(meter, 80)).toBeCloseTo(0.8, 12);
    expect(tagSigma(dpMeter({ standardDeviation: 0.05, basis: 'absolute', floorPercentOfSpan: 0.2 }), 3)).toBeCloseTo(0.2, 12);
  });

  it('leaves absolute and percent-of-span uncertainties alone without a floor', () => {
    expect(tagSigma(dpMeter({ standardDeviation: 0.05, basis: 'absolute' }), 0)).toBe(0.05);
    expect(tagSigma(dpMeter({ standardDeviation: 0.5, basis: 'percentOfSpan' }), 0)).toBeCloseTo(0.5, 12);
  });
});
