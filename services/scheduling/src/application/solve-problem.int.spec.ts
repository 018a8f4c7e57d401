import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkerSolver } from '@reflux/optimization';
import { T0, twoUnitPlant } from '../../test/fixtures/two-unit-plant';
import type { ProblemInput } from '../domain/problem.schema';
import { replanRequest } from '../domain/replan';
import type { ProposedSchedule } from '../domain/schedule-lifecycle.events';
import { handSolvedProblem } from '../testing/hand-solved.problem';
import { solveProblem } from './solve-problem';

const HOUR = 3_600_000;
const examples = join(__dirname, '..', '..', 'examples');
const example = (name: string): ProblemInput => JSON.parse(readFileSync(join(examples, name), 'utf8')) as ProblemInput;
const throughputs = (r: Awaited<ReturnType<typeof solveProblem>>, unit = 0): number[] => r.schedule!.units[unit].periods.map((p) => Number(p.throughputT.toFixed(6)));

describe('solveProblem (real HiGHS / javascript-lp-solver in worker threads)', () => {
  const solver = new WorkerSolver();
  afterAll(() => solver.close());

  it('gives the hand-solved LP schedule, objective, cost breakdown and shadow prices', async () => {
    const r = await solveProblem(handSolvedProblem(), solver);
    expect(r.status).toBe('optimal');
    expect(r.objective).toBeCloseTo(4500, 6);
    expect(throughputs(r)).toEqual([10, 10, 5, 0]);
    expect(r.costBreakdown).toMatchObject({ rawMaterials: 2500, power: 2000, shortfall: 0 });
    expect(r.schedule!.energy.map((e) => e.powerImportMWh)).toEqual([10, 10, 5, 0]);
    const price = Object.fromEntries(r.bindingConstraints!.map((b) => [b.constraint, b.shadowPrice]));
    expect(price['demand:D1']).toBeCloseTo(300, 6);
    expect(price['power:t003']).toBeCloseTo(200, 6);
    // one more period of U1 at 00:00 (10 t) moves 10 t from the 200 hour to the 50 hour
    expect(price['occupancy:U1:t000']).toBeCloseTo(-1500, 6);
    expect(r.yieldSources).toEqual([{ unit: 'U1', mode: 'run', source: 'model' }]);
  });

  it('gets the same objective from javascript-lp-solver on the small LP when no shadow prices are asked for', async () => {
    const r = await solveProblem(handSolvedProblem(), solver, { explainTop: 0 });
    expect(r.backend).toBe('jslp');
    expect(r.objective).toBeCloseTo(4500, 6);
    expect(throughputs(r)).toEqual([10, 10, 5, 0]);
  });

  it('solves the MILP by hand: start-up, minimum rate and minimum run length', async () => {
    const doc = handSolvedProblem({ formulation: 'milp' });
    const mode = doc.units[0].modes[0];
    doc.units[0].modes[0] = { ...mode, minRateTPerH: 4, minRunPeriods: 4, startupCost: 300 };
    const r = await solveProblem(doc, solver);
    // one start at 00:00 for all four periods; ≥ 4 t each; 25 t in total, as much as possible before 02:00:
    // crude 2,500 + power 17 × 50 + 8 × 200 + start-up 300 = 5,250
    expect(r.status).toBe('optimal');
    expect(r.objective).toBeCloseTo(5250, 5);
    const x = throughputs(r);
    expect(x[2]).toBeCloseTo(4, 6);
    expect(x[3]).toBeCloseTo(4, 6);
    expect(x[0] + x[1]).toBeCloseTo(17, 6);
    expect(r.costBreakdown!.startups).toBe(300);
    expect(r.schedule!.units[0].periods.map((p) => p.mode)).toEqual(['run', 'run', 'run', 'run']);
  });

  it('names the conflicting constraints of an infeasible request', async () => {
    const doc = handSolvedProblem({ tanks: [{ id: 'TK-P', materials: ['product'], maxT: 100, finalMinT: 100 }] });
    const r = await solveProblem(doc, solver);
    expect(r.status).toBe('infeasible');
    expect(r.schedule).toBeUndefined();
    expect(r.infeasibility!.conflict).toContain('tank-final:TK-P');
    // 4 h × 10 t/h = 40 t can be made at most, so the final stock of 100 t is 60 t out of reach
    expect(r.infeasibility!.relaxations[0]).toMatchObject({ constraint: 'tank-final:TK-P', violation: expect.closeTo(60, 6), meaning: expect.stringContaining('TK-P') });
    expect(r.message).toContain('tank-final:TK-P');
  });

  it('keeps the frozen window as published and prices moves after it', async () => {
    const published = { frozenPeriods: 2, changePenaltyPerT: 1, assignments: [0, 1, 2, 3].map((period) => ({ unit: 'U1', period, mode: 'run', throughputT: [5, 0, 10, 10][period] })) };
    const r = await solveProblem(handSolvedProblem({ published }), solver);
    expect(r.status).toBe('optimal');
    const x = throughputs(r);
    expect(x.slice(0, 2)).toEqual([5, 0]);
    expect(x[2] + x[3]).toBeCloseTo(20, 6);
  });

  it('proposes a schedule that no longer uses a tripped unit, overriding the frozen window', async () => {
    const doc = handSolvedProblem({
      formulation: 'milp',
      units: [
        ...handSolvedProblem().units!,
        { id: 'U2', modes: [{ id: 'run', inputs: [{ material: 'crude', fraction: 1 }], outputs: [{ material: 'product', yield: 1 }], maxRateTPerH: 10, variableCostPerT: 30, utilities: { powerMWhPerT: 1 } }] },
      ],
      published: { frozenPeriods: 2, assignments: [0, 1].map((period) => ({ unit: 'U1', period, mode: 'run', throughputT: 10 })) },
      unavailability: [{ unit: 'U1', fromPeriod: 1, toPeriod: 4, reason: 'trip' }],
    });
    const r = await solveProblem(doc, solver);
    expect(r.status).toBe('optimal');
    expect(throughputs(r, 0)).toEqual([10, 0, 0, 0]);
    expect(r.schedule!.units[0].periods.slice(1).every((p) => !p.available && p.mode === null)).toBe(true);
    expect(throughputs(r, 1).reduce((s, v) => s + v, 0)).toBeCloseTo(15, 6);
  });

  it('moves production off the peak and lowers the energy cost when time-of-use prices are switched on (petrochemical example)', async () => {
    const tou = example('petrochemical.lp.json');
    const flat = { ...tou, energy: { ...tou.energy, power: { ...tou.energy.power, timeOfUse: [] } } } as ProblemInput;
    const planFlat = await solveProblem(flat, solver, { explainTop: 0 });
    const planTou = await solveProblem(tou, solver, { explainTop: 0 });
    // what each plan's purchased power costs at the time-of-use tariff
    const tariff = planTou.schedule!.energy.map((e) => e.powerPricePerMWh);
    const exportPrice = tou.energy.power.exportPricePerMWh ?? 0;
    const powerCost = (r: typeof planTou): number => r.schedule!.energy.reduce((s, e, t) => s + e.powerImportMWh * tariff[t] - e.powerExportMWh * exportPrice, 0);
    const peakImport = (r: typeof planTou): number => r.schedule!.energy.filter((_, t) => tariff[t] > 100).reduce((s, e) => s + e.powerImportMWh, 0);
    expect(new Set(planFlat.schedule!.energy.map((e) => e.powerPricePerMWh)).size).toBe(1);
    expect(peakImport(planTou)).toBeLessThan(0.8 * peakImport(planFlat));
    expect(powerCost(planTou)).toBeLessThan(powerCost(planFlat) - 1000);
    expect(planTou.costBreakdown!.shortfall).toBe(0);
  });

  it.each(['petrochemical.lp.json', 'petrochemical.milp.json', 'steelworks.lp.json', 'steelworks.milp.json'])('solves the example %s as it is', async (name) => {
    const r = await solveProblem(example(name), solver, { explainTop: 5 });
    expect(r.status).toBe('optimal');
    expect(r.schedule!.demands.every((d) => d.shortfallT < 1)).toBe(true);
    expect(r.bindingConstraints!.length).toBeGreaterThan(0);
  });

  it('rejects a bad document with every field named', async () => {
    await expect(solveProblem({ plant: 'x' }, solver)).rejects.toMatchObject({ code: 'SCHEDULING.INVALID_PROBLEM', violations: expect.arrayContaining([{ field: 'horizon', description: expect.any(String) }]) });
  });

  it('charges no second start-up in a re-plan of a unit the published schedule runs (and one without it)', async () => {
    const model = { ...twoUnitPlant(), formulation: 'milp' as const, units: twoUnitPlant().units.map((u) => ({ ...u, initialMode: null, modes: u.modes.map((m) => ({ ...m, startupCost: 1000 })) })) };
    const running = { unit: 'U1', periods: Array.from({ length: 8 }, (_, t) => ({ period: t, start: '', mode: 'run', throughputT: 10, modes: [], changingOver: false, available: true })) };
    const published = { scheduleId: 's1', horizon: { start: new Date(T0).toISOString(), periods: 8, periodHours: 1 }, result: { schedule: { units: [running] } } } as unknown as ProposedSchedule;
    const r = replanRequest({ model, now: new Date(T0 + 2 * HOUR), unitStates: [], published, settings: { frozenPeriods: 0, changePenaltyPerT: 0, modeChangePenalty: 0 } });
    expect((await solveProblem(r.problem, solver)).costBreakdown!.startups).toBeCloseTo(0, 6);
    const fromIdle = replanRequest({ model, now: new Date(T0 + 2 * HOUR), unitStates: [], settings: { frozenPeriods: 0, changePenaltyPerT: 0, modeChangePenalty: 0 } });
    expect((await solveProblem(fromIdle.problem, solver)).costBreakdown!.startups).toBeCloseTo(1000, 6);
  });
});
