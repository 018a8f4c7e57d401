import { OptimizationErrorCode } from '../optimization.error';
import { ModelBuilder, terms } from './model-builder';

describe('ModelBuilder', () => {
  it('stores rows by CSR and sums repeated columns of a row', () => {
    const b = new ModelBuilder('m');
    const x = b.variable('x', { upper: 4, cost: 1 });
    const y = b.variable('y', { cost: 2 });
    b.lessOrEqual('r', terms().add(x, 1).add(y, 2).add(x, 3), 10);
    const model = b.build();
    expect(Array.from(model.matrix.starts)).toEqual([0, 2]);
    expect(Array.from(model.matrix.indices)).toEqual([0, 1]);
    expect(Array.from(model.matrix.values)).toEqual([4, 2]);
    expect(model.rows.lower[0]).toBe(-Infinity);
    expect(model.columns.upper[0]).toBe(4);
  });

  it('reports every bad column and row by name', () => {
    const b = new ModelBuilder('m');
    const x = b.variable('x', { lower: 5, upper: 1 });
    b.variable('x');
    b.equal('r', { indices: [x, 7], values: [Number.NaN, 1] }, 1);
    expect(() => b.build()).toThrow(expect.objectContaining({ code: OptimizationErrorCode.invalidModel }));
    try {
      b.build();
    } catch (e) {
      const fields = (e as { violations: { field: string }[] }).violations.map((v) => v.field);
      expect(fields).toEqual(['columns[x]', 'columns[x]', 'rows[r]', 'rows[r]']);
    }
  });
});
