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

  it('keeps every bound, cost and coefficient when a model outgrows the initial typed-array capacity', () => {
    const b = new ModelBuilder('big', 'minimize', { checkNames: false });
    const n = 5000;
    for (let j = 0; j < n; j++) b.variable(`x${j}`, { lower: -j, upper: j, cost: j + 0.5, integer: j % 3 === 0 });
    for (let i = 0; i < n - 1; i++) b.constraint(`r${i}`, terms().add(i, 1).add(i + 1, -2), -i, i + 1);
    b.addCost(n - 1, 1);
    const model = b.build();
    expect(model.columns.lower).toHaveLength(n);
    expect([model.columns.lower[4321], model.columns.upper[4321], model.columns.cost[4321], model.columns.integer[4321]]).toEqual([-4321, 4321, 4321.5, 0]);
    expect(model.columns.integer[4323]).toBe(1);
    expect(model.columns.cost[n - 1]).toBe(n - 1 + 0.5 + 1);
    expect(model.matrix.starts).toHaveLength(n);
    expect(model.matrix.starts[n - 1]).toBe(2 * (n - 1));
    expect(Array.from(model.matrix.indices.subarray(2 * 4000, 2 * 4000 + 2))).toEqual([4000, 4001]);
    expect(Array.from(model.matrix.values.subarray(2 * 4000, 2 * 4000 + 2))).toEqual([1, -2]);
    expect([model.rows.lower[4000], model.rows.upper[4000]]).toEqual([-4000, 4001]);
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
