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

  it('carries the running mode and its run length into the re-plan from the published schedule, so the start-up is not charged again', () => {
    const model = { ...twoUnitPlant(), formulation: 'milp' as const, units: twoUnitPlant().units.map((u) => ({ ...u, initialMode: null, modes: u.modes.map((m) => ({ ...m, startupCost: 1000, minRunPeriods: 4 })) })) };
    const run = (unit: string, upTo: number) => ({ unit, periods: Array.from({ length: 8 }, (_, t) => ({ period: t, start: '', mode: t >= 1 && t < upTo ? 'run' : null, throughputT: t >= 1 && t < upTo ? 10 : 0, modes: [], changingOver: false, available: true })) });
    const published = { scheduleId: 's1', horizon: { start: new Date(T0).toISOString(), periods: 8, periodHours: 1 }, result: { schedule: { units: [run('U1', 6), run('U2', 2)] } } } as unknown as ProposedSchedule;
    const r = replanRequest({ model, now: new Date(T0 + 3.2 * HOUR), unitStates: [], published, settings });
    // U1 has run periods 1 and 2 before the new horizon (starting at period 3); U2 stopped after period 1
    expect(r.problem.units.map((u) => [u.id, u.initialMode, u.initialRunPeriods])).toEqual([
      ['U1', 'run', 2],
      ['U2', null, 0],
    ]);
    const tripped = replanRequest({ model, now: new Date(T0 + 3.2 * HOUR), unitStates: [{ id: 'K-1', state: 'tripped', at: new Date(T0 + 3 * HOUR).toISOString() }], published, settings });
    expect(tripped.problem.units.find((u) => u.id === 'U1')).toMatchObject({ initialMode: null, initialRunPeriods: 0 });
    // without a published schedule, or on the published horizon's first period, the model's initial state stays
    expect(replanRequest({ model, now: new Date(T0 + 3.2 * HOUR), unitStates: [], settings }).problem.units[0].initialMode).toBeNull();
    expect(replanRequest({ model, now: new Date(T0), unitStates: [], published, settings }).problem.units[0].initialMode).toBeNull();
  });
});
