import { ModelBuilder, terms } from './model-builder';
import { lpNames, toLpFormat } from './lp-format';

describe('toLpFormat', () => {
  it('writes objective, rows, ranged rows, bounds, integers and the offset in CPLEX LP syntax', () => {
    const b = new ModelBuilder('tiny', 'maximize');
    const x = b.variable('x[1]', { upper: 4, cost: 3 });
    const y = b.variable('y', { lower: -Infinity, cost: -1.5, integer: true });
    b.addObjectiveOffset(7);
    b.constraint('cap', terms().add(x, 1).add(y, 2), 1, 8);
    b.equal('2nd', terms().add(y, 1), 3);
    expect(toLpFormat(b.build())).toBe(
      [
        '\\ Model tiny',
        '\\ 2 rows, 2 columns, 3 nonzeros',
        'Maximize',
        ' obj: + 3 x_1_ - 1.5 y + 7 objective_offset',
        'Subject To',
        ' cap.lo: + 1 x_1_ + 2 y >= 1',
        ' cap.hi: + 1 x_1_ + 2 y <= 8',
        ' c_2nd: + 1 y = 3',
        'Bounds',
        ' 0 <= x_1_ <= 4',
        ' y free',
        ' objective_offset = 1',
        'Generals',
        ' y',
        'End',
        '',
      ].join('\n'),
    );
  });

  it('keeps sanitised names unique and away from keywords', () => {
    expect(lpNames(['a-b', 'a_b', 'end', '1x', ''], 'x')).toEqual(['a_b', 'a_b_2', 'x_end', 'x_1x', 'x_']);
  });
});
