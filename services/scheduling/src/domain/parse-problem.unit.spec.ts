import { handSolvedProblem } from '../testing/hand-solved.problem';
import { parseProblem } from './parse-problem';
import { SchedulingErrorCode } from './scheduling.errors';
import { effectiveYields } from './yields';

function violations(input: unknown): string[] {
  try {
    parseProblem(input);
  } catch (e) {
    expect(e).toMatchObject({ code: SchedulingErrorCode.invalidProblem });
    return (e as { violations: { field: string }[] }).violations.map((v) => v.field);
  }
  throw new Error('accepted');
}

describe('parseProblem', () => {
  it('accepts the hand-solved document and fills defaults', () => {
    const p = parseProblem(handSolvedProblem());
    expect(p.units[0].modes[0].minRunPeriods).toBe(1);
    expect(p.solve.mipGapPercent).toBe(1);
  });

  it('reports schema errors by field path', () => {
    const doc = handSolvedProblem() as Record<string, unknown>;
    expect(violations({ ...doc, horizon: { start: 'yesterday', periods: 0 } })).toEqual(['horizon.start', 'horizon.periods']);
  });

  it('reports unknown references and out-of-horizon periods by field path', () => {
    const doc = handSolvedProblem({
      demands: [{ id: 'D1', material: 'gold', quantityT: 1, duePeriod: 9, latenessPenaltyPerTPerPeriod: 1, shortfallPenaltyPerT: 1 }],
      unavailability: [{ unit: 'U9', fromPeriod: 1, toPeriod: 2 }],
    });
    expect(violations(doc)).toEqual(['demands[0].material', 'demands[0].duePeriod', 'unavailability[0].unit']);
  });
});

describe('effectiveYields', () => {
  it('plans with fresh reconciled yields and says so per unit and mode; stale ones are named and not used', () => {
    const fresh = parseProblem(handSolvedProblem({ reconciledYields: [{ unit: 'U1', outputs: [{ material: 'product', yield: 0.93 }], observedAt: '2026-12-06T23:00:00Z', source: 'balancing:2026-12-06T22:00Z' }] }));
    const a = effectiveYields(fresh);
    expect(a.outputs.get('U1/run')).toEqual([{ material: 'product', yield: 0.93 }]);
    expect(a.sources).toEqual([{ unit: 'U1', mode: 'run', source: 'reconciled', origin: 'balancing:2026-12-06T22:00Z', observedAt: '2026-12-06T23:00:00Z' }]);
    const stale = parseProblem(handSolvedProblem({ reconciledYields: [{ unit: 'U1', outputs: [{ material: 'product', yield: 0.93 }], observedAt: '2026-11-01T00:00:00Z' }] }));
    const b = effectiveYields(stale);
    expect(b.outputs.get('U1/run')).toEqual([{ material: 'product', yield: 1 }]);
    expect(b.sources[0]).toMatchObject({ source: 'model', note: expect.stringContaining('older than 72 h') });
  });
});
