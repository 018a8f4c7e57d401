import { T0, twoUnitPlant } from '../../test/fixtures/two-unit-plant';
import type { ProblemInput } from './problem.schema';
import { largestYieldChange, mapReconciledYields } from './reconciled-yields';
import type { ProposedSchedule } from './schedule-lifecycle.events';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** U1 with two modes whose product leaves by two streams of R-1; U2 mapped to R-2. */
function model(): ProblemInput {
  const plant = twoUnitPlant();
  const [u1, u2] = plant.units;
  return {
    ...plant,
    units: [
      { ...u1, modes: [u1.modes[0], { ...u1.modes[0], id: 'slow' }], balancing: { unit: 'R-1', outputs: [{ stream: 'a', material: 'product' }, { stream: 'b', material: 'product' }] } },
      { ...u2, balancing: { unit: 'R-2', outputs: [{ stream: 'c', material: 'product' }] } },
    ],
  };
}

const reading = { windowStart: iso(T0 - 2 * HOUR), windowEnd: iso(T0 - HOUR), plantModelVersion: 4, yields: [{ unitId: 'R-1', streamId: 'a', yieldRatio: 0.5 }, { unitId: 'R-1', streamId: 'b', yieldRatio: 0.3 }] };

describe('mapReconciledYields', () => {
  it('sums the outlet streams of a material and applies them to the mode the published schedule ran in the window', () => {
    const published = { horizon: { start: iso(T0 - 4 * HOUR), periods: 8, periodHours: 1 }, result: { schedule: { units: [{ unit: 'U1', periods: [2, 3].map((period) => ({ period, mode: 'slow' })) }] } } } as unknown as ProposedSchedule;
    const mapped = mapReconciledYields(model(), reading, published);
    expect(mapped.yields).toEqual([{ unit: 'U1', mode: 'slow', outputs: [{ material: 'product', yield: 0.8 }], observedAt: iso(T0 - HOUR), source: `balancing window ${iso(T0 - 2 * HOUR)}/${iso(T0 - HOUR)} (plant model v4)` }]);
    expect(mapped.notes.get('U2')).toContain('no yield of R-2 for c');
  });

  it('leaves a unit of several modes on its design yields when no schedule says which mode ran', () => {
    const mapped = mapReconciledYields(model(), reading, undefined);
    expect(mapped.yields).toEqual([]);
    expect(mapped.notes.get('U1')).toContain('does not say which mode U1 ran');
  });
});

describe('largestYieldChange', () => {
  const y = (value: number, mode?: string) => [{ unit: 'U1', ...(mode && { mode }), outputs: [{ material: 'product', yield: value }], observedAt: iso(T0), source: 'x' }];
  it('is the largest relative change, and 100 % for a yield that appears or disappears', () => {
    expect(largestYieldChange(y(0.8), y(0.81))).toBeCloseTo(0.0125, 9);
    expect(largestYieldChange([], y(0.8))).toBe(1);
    expect(largestYieldChange(y(0.8, 'run'), y(0.8, 'slow'))).toBe(1);
    expect(largestYieldChange(y(0.8), y(0.8))).toBe(0);
  });
});
