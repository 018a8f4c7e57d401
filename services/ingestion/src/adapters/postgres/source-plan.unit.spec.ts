import { planSources } from './source-plan';

const M = 60_000;
const H = 3_600_000;

describe('planSources', () => {
  it('uses hours, then minutes, then raw samples up to the materialised point', () => {
    const from = 10 * H - 5 * M - 30_000;
    const to = 13 * H + 20 * M;
    expect(planSources(from, to, H, 12 * H + 7 * M)).toEqual([
      { source: 'raw', lo: from, hi: 10 * H - 5 * M },
      { source: '1m', lo: 10 * H - 5 * M, hi: 10 * H },
      { source: '1h', lo: 10 * H, hi: 12 * H },
      { source: '1m', lo: 12 * H, hi: 12 * H + 7 * M },
      { source: 'raw', lo: 12 * H + 7 * M, hi: to },
    ]);
  });

  it('reads raw samples only when the bucket is not a whole number of minutes or nothing is materialised', () => {
    expect(planSources(0, H, 90_000 + 1, H)).toEqual([{ source: 'raw', lo: 0, hi: H }]);
    expect(planSources(H, 2 * H, M, H)).toEqual([{ source: 'raw', lo: H, hi: 2 * H }]);
  });
});
