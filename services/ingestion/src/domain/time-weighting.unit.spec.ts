import { StatusCodes } from './quality';
import type { Sample } from './sample';
import { interpolateAt, timeWeightedAverage } from './time-weighting';

const at = (t: number, value: number, quality = 0): Sample => ({ tagId: 'T', timeMs: t, value, quality });

describe('timeWeightedAverage', () => {
  it('integrates trapezoids with interpolated edges for a continuous signal', () => {
    // Window [10, 30): value at 10 is 15 (between 0:10 and 20:20), 20 at 20, 25 at 30 (between 20:20 and 40:30).
    expect(timeWeightedAverage(10, 30, at(0, 10), [at(20, 20)], at(40, 30), false)).toBeCloseTo((17.5 * 10 + 22.5 * 10) / 20, 12);
  });

  it('holds each value until the next sample for a stepped signal', () => {
    expect(timeWeightedAverage(10, 30, at(0, 10), [at(20, 20)], at(40, 30), true)).toBe(15);
  });

  it('covers only the time from the first sample when nothing precedes the window, and nothing when empty', () => {
    expect(timeWeightedAverage(0, 100, undefined, [at(50, 4)], undefined, false)).toBe(4);
    expect(timeWeightedAverage(0, 100, undefined, [], at(200, 1), false)).toBeUndefined();
  });
});

describe('interpolateAt', () => {
  it('interpolates linearly, steps for stepped tags, and holds after the last sample as uncertain', () => {
    expect(interpolateAt(5, at(0, 0), at(10, 10, StatusCodes.UncertainSubstituteValue), false)).toEqual({ value: 5, quality: StatusCodes.UncertainSubstituteValue });
    expect(interpolateAt(5, at(0, 0), at(10, 10), true)).toEqual({ value: 0, quality: 0 });
    expect(interpolateAt(20, at(10, 10), undefined, false)).toEqual({ value: 10, quality: StatusCodes.UncertainLastUsableValue });
    expect(interpolateAt(5, undefined, at(10, 10), false)).toBeUndefined();
  });
});
