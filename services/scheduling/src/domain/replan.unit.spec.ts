import { T0, twoUnitPlant } from '../../test/fixtures/two-unit-plant';
import { replanRequest, unitsStoppedBy } from './replan';
import type { ProposedSchedule } from './schedule-lifecycle.events';

const HOUR = 3_600_000;
const settings = { frozenPeriods: 2, changePenaltyPerT: 3, modeChangePenalty: 7 };

describe('replanRequest', () => {
  it('starts the horizon at the period containing now and maps due and release times to periods (clamped to the horizon)', () => {
    const r = replanRequest({
      model: twoUnitPlant(),
      now: new Date(T0 + 2.5 * HOUR),
      demands: [
        { id: 'late', material: 'product', quantityT: 5, dueAt: new Date(T0).toISOString(), priority: 1, latenessPenaltyPerTPerPeriod: 1, shortfallPenaltyPerT: 1 },
        { id: 'far', material: 'product', quantityT: 5, dueAt: new Date(T0 + 100 * HOUR).toISOString(), releaseAt: new Date(T0 + 4 * HOUR).toISOString(), priority: 2, latenessPenaltyPerTPerPeriod: 1, shortfallPenaltyPerT: 1 },
      ],
      unitStates: [],
      settings,
    });
    expect(r.problem.horizon.start).toBe(new Date(T0 + 2 * HOUR).toISOString());
    expect(r.problem.demands!.map((d) => [d.id, d.duePeriod, d.releasePeriod])).toEqual([
      ['late', 0, 0],
      ['far', 7, 2],
    ]);
    expect(r.problem.published).toBeUndefined();
  });

  it('leaves a unit out from its trip until its expected return, also when the trip is of a machine it needs', () => {
    const r = replanRequest({
      model: twoUnitPlant(),
      now: new Date(T0),
      unitStates: [
        { id: 'K-1', state: 'tripped', at: new Date(T0 + 1.5 * HOUR).toISOString(), expectedReturnAt: new Date(T0 + 4.2 * HOUR).toISOString() },
        { id: 'U2', state: 'running', at: new Date(T0).toISOString() },
      ],
      settings,
    });
    expect(r.problem.unavailability).toEqual([{ unit: 'U1', fromPeriod: 1, toPeriod: 5, reason: `tripped (K-1 at ${new Date(T0 + 1.5 * HOUR).toISOString()})` }]);
    expect(r.unavailableUnitIds).toEqual(['U1']);
    expect(unitsStoppedBy(twoUnitPlant(), 'nothing')).toEqual([]);
  });

  it('shifts the published schedule into the new horizon, with the frozen window and change penalties', () => {
    const periods = (unit: string) => ({ unit, periods: Array.from({ length: 8 }, (_, t) => ({ period: t, start: '', mode: t < 6 ? 'run' : null, throughputT: t < 6 ? 10 : 0, modes: [], changingOver: false, available: true })) });
    const published = { scheduleId: 's1', horizon: { start: new Date(T0).toISOString(), periods: 8, periodHours: 1 }, result: { schedule: { units: [periods('U1'), periods('GONE')] } } } as unknown as ProposedSchedule;
    const r = replanRequest({ model: twoUnitPlant(), now: new Date(T0 + 3 * HOUR), unitStates: [], published, settings });
    expect(r.problem.published).toMatchObject({ scheduleId: 's1', frozenPeriods: 2, changePenaltyPerT: 3, modeChangePenalty: 7 });
    expect(r.problem.published!.assignments.map((a) => [a.unit, a.period, a.mode, a.throughputT])).toEqual([
      ['U1', 0, 'run', 10],
      ['U1', 1, 'run', 10],
      ['U1', 2, 'run', 10],
      ['U1', 3, null, 0],
      ['U1', 4, null, 0],
    ]);
    expect(r.frozenPeriods).toBe(2);
  });
});
