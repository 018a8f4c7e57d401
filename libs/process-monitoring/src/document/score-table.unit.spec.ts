import { fitMonitoringModel } from '../pca/fit-monitoring-model';
import { scoreRows } from './score-table';

// The hand-computed data set of control-limits.unit.spec.ts; (3, 9) breaks the correlation, (3, 3) does not.
const model = fitMonitoringModel({ variables: ['x', 'y'], rows: [[1, 2], [2, 1], [3, 4], [4, 3], [5, 5]] }, { componentRule: { kind: 'fixed', components: 1 }, persistence: { kind: 'k-of-n', k: 2, n: 3 } });

describe('scoreRows', () => {
  it('reports limits, one row per input row in order, and a summary of violations, flagged rows and warnings', () => {
    const bad = [3, 9];
    const good = [3, 3];
    const report = scoreRows(model, [good, bad, good, bad, good, good, good, bad, bad]);
    expect(report.limits).toEqual({ t2: model.limits.t2, spe: model.limits.spe, confidence: 0.99 });
    expect(report.rows.map((r) => r.flagged)).toEqual([false, false, false, true, false, false, false, false, true]);
    expect(report.rows[1]!.spe).toBeGreaterThan(model.limits.spe);
    expect(report.summary).toMatchObject({ rows: 9, scoredRows: 9, violations: 4, flagged: 2, warningsRaised: 2, firstFlaggedRow: 4 });
    expect(report.summary.flaggedPercent).toBeCloseTo(200 / 9, 10);
  });
});
