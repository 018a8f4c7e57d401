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
});
