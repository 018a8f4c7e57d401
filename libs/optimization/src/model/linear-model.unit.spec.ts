import { randomLp } from '../testing/instances';
import { modelSize, objectiveOf, rowActivities, withoutNames } from './linear-model';

describe('withoutNames (what a solve sends to its worker thread)', () => {
  it('drops the names but keeps sizes, activities and objective, which come from the arrays', () => {
    const model = randomLp(31, 9, 4, true);
    const bare = withoutNames(model);
    expect(bare.columns.names).toEqual([]);
    expect(bare.rows.names).toEqual([]);
    expect(model.columns.names).toHaveLength(18);
    expect(modelSize(bare)).toEqual(modelSize(model));
    const x = Float64Array.from(model.columns.upper, (u, j) => (Number.isFinite(u) ? u / 2 : j));
    expect(rowActivities(bare, x)).toEqual(rowActivities(model, x));
    expect(objectiveOf(bare, x)).toBe(objectiveOf(model, x));
  });
});
