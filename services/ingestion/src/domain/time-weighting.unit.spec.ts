import { StatusCodes } from './quality';
import type { Sample } from './sample';
import { interpolateAt, timeWeightedAverage, timeWeightedStats } from './time-weighting';

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

describe('outages (Bad samples) in time-weighted statistics', () => {
  const BAD = StatusCodes.BadNoCommunication;
  const nan = (t: number) => at(t, Number.NaN, BAD);

  it('ends good data at a Bad sample: the average covers only the time before it, and the coverage says so', () => {
    // 10:00–11:00 in minutes; the meter reads 100 until it loses communication at 10:05 and never comes back.
    const r = timeWeightedStats(0, 60, at(-1, 100), [nan(5)], undefined, false);
    expect(r.twa).toBe(100);
    expect(r.coveredMs).toBe(5);
    expect(r.goodMs).toBe(5);
  });

  it('does not run a line towards a Bad sample nor from it, and resumes at the next usable sample', () => {
    // 0:10 linear to 10:20, 10: Bad (value 999 is not used), 30:40 held to 40.
    const r = timeWeightedStats(0, 40, undefined, [at(0, 10), at(10, 20), at(20, 999, BAD), at(30, 40)], undefined, false);
    // [0,10): trapezoid 15; [10,20): held 20 (the next sample is Bad); [20,30): outage; [30,40): 40.
    expect(r.coveredMs).toBe(30);
    expect(r.twa).toBeCloseTo((15 * 10 + 20 * 10 + 40 * 10) / 30, 12);
  });

  it('counts uncertain time as covered but not good', () => {
    const r = timeWeightedStats(0, 40, undefined, [at(0, 1), at(10, 1, StatusCodes.UncertainSubstituteValue), at(30, 1)], undefined, true);
    expect(r).toEqual({ twa: 1, coveredMs: 40, goodMs: 20 });
  });

  it('treats an Uncertain sample without a value (NaN) as the end of good data', () => {
    const r = timeWeightedStats(0, 20, undefined, [at(0, 5), at(10, Number.NaN, StatusCodes.UncertainNoCommunicationLastUsableValue)], undefined, false);
    expect(r).toEqual({ twa: 5, coveredMs: 10, goodMs: 10 });
  });

  it('gives no interpolated value inside an outage and holds the last good value up to it', () => {
    expect(interpolateAt(12, nan(10), at(20, 5), false)).toEqual({ quality: BAD });
    expect(interpolateAt(5, at(0, 10), nan(10), false)).toEqual({ value: 10, quality: 0 });
    expect(interpolateAt(15, at(10, Number.NaN, StatusCodes.Uncertain), undefined, false)).toEqual({ quality: StatusCodes.BadNoData });
  });
});
