import { hourRanges } from './timescale-rollup-refresher';

const H = 3_600_000;

describe('hourRanges', () => {
  it('merges adjacent and repeated hours into contiguous refresh windows, in time order', () => {
    expect(hourRanges([5 * H, 2 * H, 3 * H, 2 * H, 9 * H])).toEqual([
      [2 * H, 4 * H],
      [5 * H, 6 * H],
      [9 * H, 10 * H],
    ]);
  });

  it('gives no window for no hours', () => {
    expect(hourRanges([])).toEqual([]);
  });
});
