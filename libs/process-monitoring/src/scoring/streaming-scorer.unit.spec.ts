import { SeededRandom } from '@reflux/reconciliation';
import { MonitoringError } from '../monitoring.error';
import { fitMonitoringModel, type FitOptions } from '../pca/fit-monitoring-model';
import { persistenceMet } from './persistence';
import { type SampleScore, StreamingScorer } from './streaming-scorer';

// The hand-computed data set of control-limits.unit.spec.ts: r = 0.8, λ = (1.8, 0.2), p1 = (1, 1)/√2.
const data = { variables: ['x', 'y'], rows: [[1, 2], [2, 1], [3, 4], [4, 3], [5, 5]] };
const model = (o: FitOptions = {}) => fitMonitoringModel(data, { componentRule: { kind: 'fixed', components: 1 }, persistence: { kind: 'consecutive', count: 1 }, ...o });
const scored = (s: SampleScore) => {
  if (s.status !== 'scored') throw new Error('expected a scored sample');
  return s;
};

describe('StreamingScorer', () => {
  it('scores a sample along the first component: (5, 5) has T² = 3.2/1.8 = 1.7778, SPE 0, T² contributions 0.8889 each', () => {
    const s = scored(new StreamingScorer(model()).score([5, 5]));
    expect(s.t2).toBeCloseTo(16 / 9, 10);
    expect(s.spe).toBeCloseTo(0, 12);
    expect(s.contributions.map((c) => c.t2)).toEqual([expect.closeTo(8 / 9, 10), expect.closeTo(8 / 9, 10)]);
  });

  it('scores a sample across it: (4, 2) has T² 0 and SPE 0.8, 0.4 from each variable', () => {
    const s = scored(new StreamingScorer(model()).score([4, 2]));
    expect(s.t2).toBeCloseTo(0, 12);
    expect(s.spe).toBeCloseTo(0.8, 10);
    expect(s.contributions.map((c) => c.spe)).toEqual([expect.closeTo(0.4, 10), expect.closeTo(0.4, 10)]);
  });

  it('names the variable that breaks the correlation as the top contributor of an SPE violation', () => {
    const variables = ['a', 'b', 'c', 'd', 'e'];
    const m = fitMonitoringModel({ variables, rows: randomRows(200, 5, 4) }, { componentRule: { kind: 'fixed', components: 1 } });
    const normal = randomRows(30, 5, 5).at(-1)!;
    const s = scored(new StreamingScorer(m).score(normal.map((x, j) => (j === 3 ? x + 2 * m.scaling.scale[3]! : x))));
    expect(s.speExceeded).toBe(true);
    expect(s.topContributors[0]).toBe('d');
    expect(s.contributions[3]!.spe / s.spe).toBeGreaterThan(0.5);
  });

  it('raises a warning only at the third consecutive violation and clears it at the first normal sample', () => {
    const scorer = new StreamingScorer(model({ persistence: { kind: 'consecutive', count: 3 } }));
    const bad = [3, 9];
    const good = [3, 3];
    const out = [bad, bad, good, bad, bad, bad, bad, good].map((x) => scored(scorer.score(x)));
    expect(out.map((s) => s.violation)).toEqual([true, true, false, true, true, true, true, false]);
    expect(out.map((s) => s.warning)).toEqual([false, false, false, false, false, true, true, false]);
    expect(out.map((s) => s.raised)).toEqual([false, false, false, false, false, true, false, false]);
    expect(out.map((s) => s.cleared)).toEqual([false, false, false, false, false, false, false, true]);
  });

  it('raises a k-of-n warning when 2 of the last 4 samples violate, even with a normal one between', () => {
    const scorer = new StreamingScorer(model({ persistence: { kind: 'k-of-n', k: 2, n: 4 } }));
    const out = [[3, 9], [3, 3], [3, 9], [3, 3], [3, 3], [3, 3]].map((x) => scorer.score(x).warning);
    expect(out).toEqual([false, false, true, true, false, false]);
    expect(persistenceMet({ kind: 'k-of-n', k: 2, n: 4 }, [true, false, false, false, true])).toBe(false);
  });

  it('continues exactly where it stopped when restarted from its saved state', () => {
    const m = fitMonitoringModel(
      { variables: ['a', 'b', 'c'], rows: randomRows(60, 3, 1) },
      { lags: 2, ewmaLambda: 0.4, componentRule: { kind: 'fixed', components: 2 }, persistence: { kind: 'k-of-n', k: 2, n: 3 } },
    );
    const samples = randomRows(40, 3, 2).map((r, i) => (i > 25 ? [r[0]! + 5, r[1]!, r[2]!] : r));
    const straight = new StreamingScorer(m);
    const expected = samples.map((x) => straight.score(x));
    let scorer = new StreamingScorer(m);
    const resumed = samples.map((x, i) => {
      if (i % 7 === 3) scorer = new StreamingScorer(m, JSON.parse(JSON.stringify(scorer.state())));
      return scorer.score(x);
    });
    expect(resumed).toEqual(expected);
    expect(expected.some((s) => s.warning)).toBe(true);
  });

  it('waits for its lags before scoring with dynamic PCA', () => {
    const m = fitMonitoringModel({ variables: ['a', 'b'], rows: randomRows(50, 2, 3) }, { lags: 2, componentRule: { kind: 'fixed', components: 1 } });
    const scorer = new StreamingScorer(m);
    expect([scorer.score([0, 0]).status, scorer.score([0, 0]).status, scorer.score([0, 0]).status]).toEqual(['warming-up', 'warming-up', 'scored']);
  });

  it('rejects a sample of the wrong length or with a non-finite value, naming the field, and keeps its state', () => {
    const scorer = new StreamingScorer(model({ persistence: { kind: 'consecutive', count: 2 } }));
    scorer.score([3, 9]);
    const before = scorer.state();
    expect(() => scorer.score([1])).toThrow(MonitoringError);
    try {
      scorer.score([1, Number.NaN]);
      throw new Error('expected a rejection');
    } catch (error) {
      expect((error as MonitoringError).code).toBe('MONITORING.INVALID_SAMPLE');
      expect((error as MonitoringError).violations).toEqual([{ field: 'sample[1]', description: 'y: not a finite number' }]);
    }
    expect(scorer.state()).toEqual(before);
    expect(scorer.score([3, 9]).warning).toBe(true);
  });

  it('rejects a saved state that does not fit the model', () => {
    expect(() => new StreamingScorer(model(), { recentSamples: [[1, 2]], recentViolations: [], warning: false, ewma: { t2: 0, spe: 0 } })).toThrow(/state.recentSamples/);
  });
});

function randomRows(n: number, m: number, seed: number): number[][] {
  const rng = new SeededRandom(seed);
  const rows: number[][] = [];
  let latent = 0;
  for (let i = 0; i < n; i++) {
    latent = 0.8 * latent + rng.normal();
    rows.push(Array.from({ length: m }, (_, j) => (j + 1) * latent + 0.3 * rng.normal()));
  }
  return rows;
}
