import { SeededRandom } from '@reflux/reconciliation';
import { TrendWatch, type TrendDecision, type TrendSettings } from './trend-watch';

const settings: TrendSettings = { windowS: 300, horizonS: 1800, confidence: 0.9, everyS: 10, consecutive: 3, minPoints: 10 };
const limits = { LL: 30, L: 40, H: 100, HH: 110 };

/** Feeds one sample per second for t = 0 … untilS − 1 and collects the decisions with their sample time. */
function run(watch: TrendWatch, untilS: number, f: (t: number) => number, fromS = 0): (TrendDecision & { t: number })[] {
  const out: (TrendDecision & { t: number })[] = [];
  for (let t = fromS; t < untilS; t++) for (const d of watch.push(t * 1000, f(t), limits)) out.push({ ...d, t });
  return out;
}

describe('TrendWatch', () => {
  it('warns of H at the third agreeing evaluation (29 s) with the exact time to the limit, clears when H is reached and then predicts HH', () => {
    const decisions = run(new TrendWatch('TI-101', settings), 1100, (t) => 80 + 0.02 * t);
    expect(decisions.map((d) => [d.type, d.limitKind, d.t])).toEqual([
      ['raise', 'H', 29],
      ['clear', 'H', 1001], // 100.02 K: past H, where the alarm condition starts
      ['raise', 'HH', 1029],
    ]);
    const [h, cleared, hh] = decisions;
    if (h?.type !== 'raise' || hh?.type !== 'raise' || cleared?.type !== 'clear') throw new Error('unexpected decisions');
    // 80.58 at 29 s, 0.02 K/s to 100: 971 s; 100.58 at 1029 s to 110: 471 s
    expect(h.prediction.estimate_s).toBeCloseTo(971, 6);
    expect(h.prediction.latest_s).toBeCloseTo(971, 6);
    expect(h.message).toBe('TI-101 will reach H in about 16 min (between 16 min and 16 min)');
    expect(cleared.reason).toBe('limit-reached');
    expect(hh.prediction.estimate_s).toBeCloseTo(471, 6);
  });

  it('predicts a falling level reaching L, from the latest value below the high limits', () => {
    const decisions = run(new TrendWatch('LI-205', settings), 60, (t) => 60 - 0.05 * t);
    expect(decisions).toHaveLength(1);
    const d = decisions[0]!;
    if (d.type !== 'raise') throw new Error('expected a raise');
    expect([d.limitKind, d.t]).toEqual(['L', 29]);
    expect(d.prediction.estimate_s).toBeCloseTo((58.55 - 40) / 0.05, 6);
  });

  it('raises nothing in an hour of a flat signal with noise of 1 K around 70 K (H and L 30 K away, 5 σ from the H of 75 K)', () => {
    const rng = new SeededRandom(7);
    const decisions = run(new TrendWatch('TI-101', settings), 3600, () => 70 + rng.normal());
    expect(decisions).toEqual([]);
    const tight = { ...limits, H: 75 };
    const watch = new TrendWatch('TI-102', settings);
    let n = 0;
    for (let t = 0; t < 3600; t++) n += watch.push(t * 1000, 70 + rng.normal(), tight).length;
    expect(n).toBe(0);
  });

  it('does not warn of a ramp that reaches the limit only beyond the horizon', () => {
    expect(run(new TrendWatch('TI-101', { ...settings, horizonS: 600 }), 200, (t) => 80 + 0.01 * t)).toEqual([]); // 2000 s to H
  });

  it('clears a warning as returned-to-normal once the ramp levels off, within the window and three evaluations', () => {
    const watch = new TrendWatch('TI-101', settings);
    const decisions = run(watch, 900, (t) => (t < 200 ? 80 + 0.02 * t : 84));
    expect(decisions.map((d) => d.type)).toEqual(['raise', 'clear']);
    const clear = decisions[1]!;
    if (clear.type !== 'clear') throw new Error('expected a clear');
    expect(clear.reason).toBe('returned-to-normal');
    expect(clear.t).toBeGreaterThan(200);
    expect(clear.t).toBeLessThanOrEqual(200 + settings.windowS + 3 * settings.everyS);
  });

  it('keeps a warning across a restart (state) and does not raise it again', () => {
    const first = new TrendWatch('TI-101', settings);
    run(first, 40, (t) => 80 + 0.02 * t);
    expect(first.state.active).toEqual({ limitKind: 'H', raisedAtMs: 29_000 });
    const restarted = new TrendWatch('TI-101', settings, first.state);
    expect(run(restarted, 200, (t) => 80 + 0.02 * t, 40)).toEqual([]);
  });
});
