import { type MonitoringError } from '../monitoring.error';
import { fitMonitoringModel } from '../pca/fit-monitoring-model';
import { parseMonitoringModel } from './parse-model';

const data = { variables: ['x', 'y', 'z'], rows: [[1, 2, 0.5], [2, 1, 0.1], [3, 4, 0.9], [4, 3, 0.2], [5, 5, 0.7], [6, 7, 0.3]] };

function violationsOf(input: unknown): { field: string; description: string }[] {
  try {
    parseMonitoringModel(input);
  } catch (error) {
    expect((error as MonitoringError).code).toBe('MONITORING.INVALID_MODEL');
    return [...(error as MonitoringError).violations];
  }
  throw new Error('expected the model to be rejected');
}

describe('monitoring model document', () => {
  const model = fitMonitoringModel(data, { componentRule: { kind: 'fixed', components: 1 } });

  it('survives a JSON round trip unchanged (storable as an event payload)', () => {
    expect(parseMonitoringModel(JSON.stringify(model))).toEqual(model);
  });

  it('reports each malformed field by its path', () => {
    const broken = { ...model, confidence: 1.2, loadings: [[1, 2]], scaling: { mean: [0, 0], scale: [1, 1, -1] }, persistence: { kind: 'k-of-n', k: 5, n: 3 } };
    const fields = violationsOf(broken).map((v) => v.field);
    expect(fields).toEqual(expect.arrayContaining(['confidence', 'scaling.scale[2]', 'persistence.k']));
  });

  it('reports arrays that do not fit the variables, lags and components', () => {
    const v = violationsOf({ ...model, loadings: [[1, 2]], eigenvalues: [1, 0.5] });
    expect(v).toEqual(expect.arrayContaining([
      { field: 'loadings[0]', description: 'has 2 entries, expected 3' },
      { field: 'eigenvalues', description: 'has 2 entries, expected 3' },
    ]));
  });

  it('rejects text that is not JSON and an unknown format', () => {
    expect(violationsOf('{oops')[0]!.field).toBe('$');
    expect(violationsOf({ ...model, format: 'other' }).map((v) => v.field)).toContain('format');
  });
});

describe('fitMonitoringModel input checks', () => {
  it('names the row and variable of a non-finite training value and a short row', () => {
    try {
      fitMonitoringModel({ variables: ['a', 'b'], rows: [[1, 2], [2, Number.NaN], [3], [4, 1], [5, 0]] });
      throw new Error('expected a rejection');
    } catch (error) {
      expect((error as MonitoringError).code).toBe('MONITORING.INVALID_DATA');
      expect((error as MonitoringError).violations).toEqual([
        { field: 'rows[1][1]', description: 'b: not a finite number' },
        { field: 'rows[2]', description: 'has 1 values, expected 2' },
      ]);
    }
  });

  it('rejects options outside their ranges, naming the option', () => {
    expect(() => fitMonitoringModel(data, { confidence: 1 })).toThrow(/confidence/);
    expect(() => fitMonitoringModel(data, { lags: -1 })).toThrow(/lags/);
  });

  it('keeps a variable that is constant in training out of the model instead of dividing by zero', () => {
    const m = fitMonitoringModel({ variables: ['a', 'b', 'flat'], rows: data.rows.map((r) => [r[0]!, r[1]!, 7]) }, { componentRule: { kind: 'fixed', components: 1 } });
    expect(m.scaling.scale[2]).toBe(0);
    expect(m.loadings[0]![2]).toBe(0);
    expect(Number.isFinite(m.limits.spe)).toBe(true);
  });

  it('refuses training data in which fewer than two variables vary', () => {
    expect(() => fitMonitoringModel({ variables: ['a', 'b'], rows: [[1, 5], [2, 5], [3, 5], [4, 5]] })).toThrow(/only 1 variable/);
  });
});

describe('fitMonitoringModel limits on small training sets', () => {
  it('refuses theoretical EWMA limits when N − a ≤ 4 leaves the T² variance infinite, instead of writing NaN limits', () => {
    expect(() => fitMonitoringModel({ ...data, rows: data.rows.slice(0, 5) }, { componentRule: { kind: 'fixed', components: 1 }, ewmaLambda: 0.5 })).toThrow(/theoretical EWMA limits need more than 5 training rows/);
    expect(fitMonitoringModel(data, { componentRule: { kind: 'fixed', components: 1 }, ewmaLambda: 0.5 }).limits.t2).toBeGreaterThan(0);
  });
});

describe('cross-validated limits on small training sets', () => {
  it('refuses folds that leave fewer rows than components need, instead of dividing by a zero eigenvalue', () => {
    const rows = Array.from({ length: 6 }, (_, i) => [i, (i * 7) % 5, (i * 3) % 4, (i * 5) % 7, Math.sin(i)]);
    expect(() => fitMonitoringModel({ variables: ['a', 'b', 'c', 'd', 'e'], rows }, { componentRule: { kind: 'fixed', components: 4 }, limitMethod: { kind: 'cross-validated', folds: 2 } })).toThrow(/leaves too few rows for 4 components/);
  });
});
