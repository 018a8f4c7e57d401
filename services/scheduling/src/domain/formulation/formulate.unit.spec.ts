import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProblem } from '../parse-problem';
import { handSolvedProblem } from '../../testing/hand-solved.problem';
import { formulate } from './formulate';

describe('formulate', () => {
  it('builds the MILP transition network and warm-starts from the published modes', () => {
    const f = formulate(
      parseProblem(
        handSolvedProblem({
          formulation: 'milp',
          published: { frozenPeriods: 1, assignments: [0, 1, 2, 3].map((period) => ({ unit: 'U1', period, mode: period < 2 ? 'run' : null, throughputT: period < 2 ? 10 : 0 })) },
        }),
      ),
    );
    const names = f.model.columns.names;
    expect(f.start.indices.map((j) => names[j])).toEqual(['y:U1:run:t000', 'y:U1:run:t001', 'y:U1:run:t002', 'y:U1:run:t003']);
    expect(f.start.values).toEqual([1, 1, 0, 0]);
    expect(f.model.rows.names).toEqual(expect.arrayContaining(['frozen:U1:t000', 'depart:U1:idle:t000', 'arrive:U1:run:t003', 'occupancy:U1:t003']));
    const y0 = names.indexOf('y:U1:run:t000');
    expect([f.model.columns.lower[y0], f.model.columns.upper[y0]]).toEqual([1, 1]);
    expect(f.model.columns.integer[y0]).toBe(1);
  });

  it('leaves binaries out of the LP and prices capacity through a named occupancy row', () => {
    const f = formulate(parseProblem(handSolvedProblem()));
    expect(f.model.columns.integer.every((v) => v === 0)).toBe(true);
    expect(f.model.columns.names.some((n) => n.startsWith('y:'))).toBe(false);
    expect(f.rowMeanings[f.model.rows.names.indexOf('occupancy:U1:t000')]!()).toEqual({ text: 'time of U1 in period 2026-12-07T00:00Z', unit: 'period' });
  });

  it('gives a turbine that is unavailable (a trip) no steam in those periods and keeps the others', () => {
    const steel = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'examples', 'steelworks.lp.json'), 'utf8')) as Record<string, unknown>;
    const f = formulate(parseProblem({ ...steel, unavailability: [{ unit: 'TG-9001', fromPeriod: 2, toPeriod: 5, reason: 'trip' }] }));
    const upper = (name: string) => f.model.columns.upper[f.model.columns.names.indexOf(name)];
    expect([upper('turbine:TG-9001:t001'), upper('turbine:TG-9001:t002'), upper('turbine:TG-9001:t004'), upper('turbine:TG-9001:t005')]).toEqual([420, 0, 0, 420]);
    expect(() => parseProblem({ ...steel, unavailability: [{ unit: 'TG-9999', fromPeriod: 0, toPeriod: 1 }] })).toThrow(/unavailability\[0\]\.unit: unknown unit, boiler, turbine or letdown TG-9999/);
  });
});
