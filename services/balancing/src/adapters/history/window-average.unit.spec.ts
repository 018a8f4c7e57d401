import { windowAverage } from './window-average';

const MIN = 60_000;

describe('window average from ingestion buckets', () => {
  it('weighs each bucket by the part of it inside the window', () => {
    // window 10:30–11:30 over hourly buckets aligned on the hour: half of each bucket counts
    const from = 10.5 * 60 * MIN;
    const to = 11.5 * 60 * MIN;
    const average = windowAverage(
      [
        { startMs: 10 * 60 * MIN, endMs: 11 * 60 * MIN, count: 60, goodShare: 1, twa: 100 },
        { startMs: 11 * 60 * MIN, endMs: 12 * 60 * MIN, count: 60, goodShare: 0.5, twa: 200 },
      ],
      from,
      to,
    );
    expect(average?.value).toBeCloseTo(150, 9);
    expect(average?.sampleCount).toBe(120);
    expect(average?.goodShare).toBeCloseTo(0.75, 9);
    expect(average?.coverage).toBe(1);
  });

  it('reports how much of the window the buckets with values cover', () => {
    const buckets = [undefined, 7, 7, 7].map((twa, i) => ({ startMs: i * 15 * MIN, endMs: (i + 1) * 15 * MIN, count: twa === undefined ? 0 : 15, twa }));
    expect(windowAverage(buckets, 0, 60 * MIN)?.coverage).toBeCloseTo(0.75, 9);
  });

  it('estimates the uncertainty of the average as the standard error of the sub-window averages', () => {
    const buckets = [98, 102, 98, 102].map((twa, i) => ({ startMs: i * 15 * MIN, endMs: (i + 1) * 15 * MIN, count: 15, twa }));
    const average = windowAverage(buckets, 0, 60 * MIN);
    expect(average?.value).toBe(100);
    // population sd 2 over 4 equal buckets: sd/√(n−1) = 2/√3
    expect(average?.standardDeviation).toBeCloseTo(2 / Math.sqrt(3), 9);
  });

  it('gives no average when no bucket holds a value, and no spread from a single bucket', () => {
    expect(windowAverage([{ startMs: 0, endMs: 60 * MIN, count: 0 }], 0, 60 * MIN)).toBeUndefined();
    expect(windowAverage([{ startMs: 0, endMs: 60 * MIN, count: 5, twa: 3 }], 0, 60 * MIN)?.standardDeviation).toBeUndefined();
  });

  it("measures coverage by ingestion's covered time, not by the sub-windows that got an average", () => {
    // every 5-minute sub-window has a value, but the meter was in an outage for 1 of its 5 minutes
    const buckets = Array.from({ length: 12 }, (_, i) => ({ startMs: i * 5 * MIN, endMs: (i + 1) * 5 * MIN, count: 4, goodShare: 0.8, coverage: 0.8, twa: 10 }));
    const average = windowAverage(buckets, 0, 60 * MIN);
    expect(average?.coverage).toBeCloseTo(0.8, 9);
    expect(average?.goodShare).toBeCloseTo(0.8, 9);
  });

  it('counts a meter that lost communication at 10:05 as covering 5 minutes of the 10–11 window', () => {
    // 15-minute sub-windows: the first holds 10:00–10:05 of data, then a Bad sample and nothing more
    const buckets = [{ startMs: 0, endMs: 15 * MIN, count: 6, goodShare: 1 / 3, coverage: 1 / 3, twa: 42 }];
    const average = windowAverage(buckets, 0, 60 * MIN);
    expect(average?.value).toBe(42);
    expect(average?.coverage).toBeCloseTo(5 / 60, 9);
    expect(average?.goodShare).toBeCloseTo(5 / 60, 9);
  });

  it('weighs each sub-window average by the time it covers', () => {
    // 100 over a fully covered half hour, 200 over the 7.5 minutes the second half hour has data for
    const average = windowAverage(
      [
        { startMs: 0, endMs: 30 * MIN, count: 30, coverage: 1, twa: 100 },
        { startMs: 30 * MIN, endMs: 60 * MIN, count: 8, coverage: 0.25, twa: 200 },
      ],
      0,
      60 * MIN,
    );
    expect(average?.value).toBeCloseTo((100 * 30 + 200 * 7.5) / 37.5, 9);
    expect(average?.coverage).toBeCloseTo(37.5 / 60, 9);
  });
});
