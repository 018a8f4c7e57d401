import { rowActivities, WorkerSolver } from '@reflux/optimization';
import { generateInstance } from '../../testing/generate-instance';
import { parseProblem } from '../parse-problem';
import { formulate } from './formulate';
import { autoLpSettings, lpNoPresolveFromColumns } from './lp-settings';

describe('autoLpSettings (the "auto" LP algorithm, real HiGHS in a worker thread)', () => {
  const solver = new WorkerSolver();
  afterAll(() => solver.close());

  it('sends an LP to dual simplex, a large one without presolve, and leaves a MILP to HiGHS defaults', () => {
    const withColumns = (n: number, milp = false) => ({ milp, model: { columns: { lower: new Float64Array(n) } } }) as unknown as Parameters<typeof autoLpSettings>[0];
    expect(autoLpSettings(withColumns(lpNoPresolveFromColumns - 1))).toEqual({ lpAlgorithm: 'simplex' });
    expect(autoLpSettings(withColumns(lpNoPresolveFromColumns))).toEqual({ lpAlgorithm: 'simplex', highsOptions: { presolve: 'off' } });
    expect(autoLpSettings(withColumns(lpNoPresolveFromColumns, true))).toEqual({ lpAlgorithm: 'choose' });
  });

  it('reaches the optimum of interior point with crossover by simplex without presolve on a generated plan, with optimal duals', async () => {
    const f = formulate(parseProblem(generateInstance({ products: 8, units: 4, periods: 48, formulation: 'lp' })));
    const auto = await solver.solve(f.model, { lpAlgorithm: 'simplex', highsOptions: { presolve: 'off' }, backend: 'highs', duals: true });
    const ipm = await solver.solve(f.model, { lpAlgorithm: 'ipm', backend: 'highs', duals: true });
    expect(auto.status).toBe('optimal');
    expect(auto.objective! / ipm.objective!).toBeCloseTo(1, 9);
    // the plan is dual degenerate (duals differ between optimal bases), so check optimality of the
    // duals themselves: c = Aᵀy + d, and a non-zero price only on a row or column at the bound it prices
    const { model } = f;
    const y = auto.duals!;
    const d = auto.reducedCosts!;
    const activity = rowActivities(model, auto.values);
    const residual = Float64Array.from(model.columns.cost);
    for (let i = 0; i < activity.length; i++) for (let k = model.matrix.starts[i]; k < model.matrix.starts[i + 1]; k++) residual[model.matrix.indices[k]] -= model.matrix.values[k] * y[i];
    residual.forEach((r, j) => expect(Math.abs(r - d[j])).toBeLessThan(1e-6));
    const atBound = (value: number, price: number, lower: number, upper: number): boolean => Math.abs(price) < 1e-7 || (price > 0 ? Math.abs(value - lower) : Math.abs(value - upper)) < 1e-6 * Math.max(1, Math.abs(value));
    activity.forEach((a, i) => expect(atBound(a, y[i], model.rows.lower[i], model.rows.upper[i])).toBe(true));
    auto.values.forEach((x, j) => expect(atBound(x, d[j], model.columns.lower[j], model.columns.upper[j])).toBe(true));
  });
});
