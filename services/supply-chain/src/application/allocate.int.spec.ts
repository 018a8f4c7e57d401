import { rowActivities, WorkerSolver } from '@reflux/optimization';
import { toCurrentPlan } from '../domain/allocation';
import { formulate } from '../domain/formulation/formulate';
import { completeStart, modulesOfPlan, withModulesOfPlan } from '../domain/formulation/warm-start';
import type { NetworkInput } from '../domain/network.schema';
import { parseNetwork } from '../domain/parse-network';
import { SupplyChainErrorCode, type SupplyChainError } from '../domain/supply-chain.errors';
import { disruptionNetwork, handSolvedNetwork, hazardNetwork } from '../testing/small-networks';
import { allocate, explainBinding, paretoFront } from './allocate';

// Real HiGHS in a worker thread (the solver port the service uses); no servers.
const solver = new WorkerSolver();
afterAll(() => solver.close());

describe('allocate', () => {
  it('gives the hand-solved allocation: B at its 70 t, A the remaining 30 t, 1430 in all', async () => {
    const out = await allocate(solver, parseNetwork(handSolvedNetwork));
    const a = out.allocation;
    expect(a.objective).toBeCloseTo(1430, 6);
    expect(a.production.filter((p) => p.quantityT > 0).map((p) => [p.site, p.period, p.quantityT, p.modulesOn])).toEqual([
      ['A', 0, 30, 1],
      ['B', 0, 70, 2],
    ]);
    expect(a.shipments.map((s) => [s.lane, s.period, s.arrivalPeriod, s.quantityT])).toEqual([
      ['A-C', 0, 1, 30],
      ['B-C', 0, 1, 70],
    ]);
    expect(a.orders[0]).toMatchObject({ orderId: 'O1', deliveredT: 100, promisedPeriod: 1, latePeriods: 0, shortfallT: 0 });
    expect(a.costs).toMatchObject({ production: 30 * 10 + 70 * 12, transport: 30 * 5 + 70 * 2, lateness: 0, shortfall: 0 });
  });

  it('prices the binding module capacity of B at −1 per t, 35 per module', async () => {
    const out = await allocate(solver, parseNetwork(handSolvedNetwork));
    const binding = await explainBinding(solver, out);
    const b = binding.find((x) => x.constraint === 'cap:B/pB:t000');
    expect(b).toMatchObject({ kind: 'module-capacity', unit: 't' });
    expect(b!.shadowPricePerUnit).toBeCloseTo(-1, 6);
    expect(b!.valueOfOneMoreModule).toBeCloseTo(35, 6);
    expect(binding.some((x) => x.constraint.startsWith('cap:A/'))).toBe(false);
  });

  it('never ships a hazardous intermediate on a forbidden lane, although shipping it would be cheaper', async () => {
    const free = (await allocate(solver, parseNetwork(hazardNetwork(false)))).allocation;
    expect(free.shipments.filter((s) => s.lane === 'H-M' && s.material === 'COCl2').reduce((q, s) => q + s.quantityT, 0)).toBeCloseTo(50, 6);

    const ruled = await allocate(solver, parseNetwork(hazardNetwork(true)));
    expect(ruled.allocation.shipments.filter((s) => s.material === 'COCl2')).toEqual([]);
    expect(ruled.allocation.production.find((p) => p.process === 'phosgene-onsite')?.quantityT).toBeCloseTo(50, 6);
    expect(ruled.formulation.transport.forbidden).toEqual([{ lane: 'H-M', material: 'COCl2', reason: 'UN class 2.3 COCl2 may not travel by road' }]);
    expect(ruled.allocation.objective).toBeGreaterThan(free.objective);
  });

  it('re-allocates after a trip without touching in-transit or frozen quantities', async () => {
    const network = parseNetwork(disruptionNetwork);
    const before = (await allocate(solver, network)).allocation;
    const frozen = 2;
    const inTransit = before.shipments.filter((s) => s.period < frozen && s.arrivalPeriod >= frozen);
    expect(inTransit.length).toBeGreaterThan(0);
    expect(before.production.some((p) => p.site === 'B' && p.period >= frozen && p.quantityT > 0)).toBe(true);

    const tripped = parseNetwork({ ...disruptionNetwork, capacityChanges: [{ site: 'B', fromPeriod: frozen, toPeriod: 6, availableModules: 0 }] });
    const after = (await allocate(solver, tripped, { plan: toCurrentPlan(before, frozen, 1) })).allocation;

    const key = (s: { lane: string; material: string; period: number }) => `${s.lane}|${s.material}|${s.period}`;
    const committedBefore = before.shipments.filter((s) => s.period < frozen).map((s) => [key(s), s.quantityT]);
    const committedAfter = after.shipments.filter((s) => s.period < frozen).map((s) => [key(s), s.quantityT]);
    expect(committedAfter).toEqual(committedBefore);
    expect(after.production.filter((p) => p.period < frozen)).toEqual(before.production.filter((p) => p.period < frozen));
    expect(after.production.filter((p) => p.site === 'B' && p.period >= frozen && p.quantityT > 0)).toEqual([]);
    const madeByABefore = before.production.filter((p) => p.site === 'A' && p.period >= frozen).reduce((q, p) => q + p.quantityT, 0);
    const madeByAAfter = after.production.filter((p) => p.site === 'A' && p.period >= frozen).reduce((q, p) => q + p.quantityT, 0);
    expect(madeByAAfter).toBeGreaterThan(madeByABefore);
  });

  it('warm-starts a re-allocation from a complete MIP start: the plan\'s modules, clipped by the trip, feasible in every row of the MILP', async () => {
    const before = (await allocate(solver, parseNetwork(disruptionNetwork))).allocation;
    const tripped = parseNetwork({ ...disruptionNetwork, capacityChanges: [{ site: 'B', fromPeriod: 2, toPeriod: 6, availableModules: 0 }] });
    const f = formulate(tripped, { plan: toCurrentPlan(before, 2, 1) });
    const fixed = await solver.solve(withModulesOfPlan(f), { backend: 'highs' });
    expect(fixed.status).toBe('optimal');
    const start = completeStart(f, fixed.values);
    expect(start.indices).toHaveLength(f.model.columns.names.length);
    const x = Float64Array.from(start.values);
    const m = f.model;
    const tol = 1e-6;
    const badColumns = m.columns.names.filter((_, j) => x[j] < m.columns.lower[j] - tol || x[j] > m.columns.upper[j] + tol || (m.columns.integer[j] === 1 && Math.abs(x[j] - Math.round(x[j])) > tol));
    const activity = rowActivities(m, x);
    const badRows = m.rows.names.filter((_, i) => activity[i] < m.rows.lower[i] - tol * Math.max(1, Math.abs(m.rows.lower[i])) || activity[i] > m.rows.upper[i] + tol * Math.max(1, Math.abs(m.rows.upper[i])));
    expect([badColumns, badRows]).toEqual([[], []]);
    // B's modules are off while it is down, and the MILP from this start is no worse than the plan's modules
    expect(f.production.on[1][0].slice(2).map((j) => x[j])).toEqual([0, 0, 0, 0]);
    const after = await allocate(solver, tripped, { plan: toCurrentPlan(before, 2, 1), timeLimitSeconds: 10 });
    expect(after.allocation.objective).toBeLessThanOrEqual(fixed.objective! + 1e-6);
  });

  it('keeps a module the trip starts later on for its minimum on time, so the plan\'s modules stay a feasible start', async () => {
    // the plan runs B's two modules in periods 2–3 (minimum on time 2); B is down in period 2, so they start in 3 and must run in 4 too
    const plan = { frozenPeriods: 0, deviationPenaltyPerT: 1, shipments: [], production: [2, 3].map((period) => ({ site: 'B', process: 'pB', period, quantityT: 60, modulesOn: 2 })) };
    const f = formulate(parseNetwork({ ...disruptionNetwork, capacityChanges: [{ site: 'B', fromPeriod: 2, toPeriod: 3, availableModules: 0 }] }), { plan });
    const modules = modulesOfPlan(f);
    expect(f.production.on[1][0].map((j) => modules.get(j))).toEqual([0, 0, 0, 2, 2, 0]);
    expect((await solver.solve(withModulesOfPlan(f), { backend: 'highs' })).status).toBe('optimal');
  });

  it('takes a suspected loss off the site: B makes at most its modules less the lost tonnes, A makes up the rest', async () => {
    const network = parseNetwork(disruptionNetwork);
    const before = (await allocate(solver, network)).allocation;
    const madeBy = (a: typeof before, site: string, t: number) => a.production.filter((p) => p.site === site && p.period === t).reduce((q, p) => q + p.quantityT, 0);
    expect([1, 2, 3].some((t) => madeBy(before, 'B', t) > 60 - 25 + 1e-6)).toBe(true);
    const lossy = parseNetwork({ ...disruptionNetwork, capacityChanges: [{ site: 'B', fromPeriod: 1, toPeriod: 4, lostTPerPeriod: 25 }] });
    const after = (await allocate(solver, lossy)).allocation;
    for (const t of [1, 2, 3]) expect(madeBy(after, 'B', t)).toBeLessThanOrEqual(2 * 30 - 25 + 1e-6);
    expect([1, 2, 3].reduce((q, t) => q + madeBy(after, 'A', t), 0)).toBeGreaterThan([1, 2, 3].reduce((q, t) => q + madeBy(before, 'A', t), 0));
    // of one process: the same limit as a bound on that process
    const ofProcess = (await allocate(solver, parseNetwork({ ...disruptionNetwork, capacityChanges: [{ site: 'B', process: 'pB', fromPeriod: 1, toPeriod: 4, lostTPerPeriod: 25 }] }))).allocation;
    for (const t of [1, 2, 3]) expect(madeBy(ofProcess, 'B', t)).toBeLessThanOrEqual(2 * 30 - 25 + 1e-6);
  });

  it('lets frozen production at a site with a suspected loss fall short instead of making the re-allocation infeasible', async () => {
    const network = parseNetwork(disruptionNetwork);
    const before = (await allocate(solver, network)).allocation;
    const frozen = 2;
    const madeB = before.production.filter((p) => p.site === 'B' && p.period < frozen).reduce((q, p) => Math.max(q, p.quantityT), 0);
    expect(madeB).toBeGreaterThan(10);
    const lossy = parseNetwork({ ...disruptionNetwork, capacityChanges: [{ site: 'B', fromPeriod: 0, toPeriod: 6, lostTPerPeriod: 60 - 10 }] });
    const after = (await allocate(solver, lossy, { plan: toCurrentPlan(before, frozen, 1) })).allocation;
    for (const p of after.production.filter((x) => x.site === 'B')) expect(p.quantityT).toBeLessThanOrEqual(10 + 1e-6);
  });

  it('names the conflicting constraints of an infeasible request', async () => {
    const impossible: NetworkInput = { ...handSolvedNetwork, sites: [{ ...handSolvedNetwork.sites[0], inventory: [{ material: 'P', minT: 500, maxT: 1000 }] }, handSolvedNetwork.sites[1]] };
    const error = await allocate(solver, parseNetwork(impossible)).then(
      () => undefined,
      (e: unknown) => e as SupplyChainError,
    );
    expect(error?.code).toBe(SupplyChainErrorCode.infeasible);
    const relaxed = (error!.details.relaxations as { name: string }[]).map((r) => r.name);
    expect(relaxed).toEqual(expect.arrayContaining(['stockmin:A/P:t000']));
    expect(error!.message).toContain('stockmin:A/P:t000');
    const conflict = error!.details.conflict as { rows: string[] };
    expect(conflict.rows).toEqual(expect.arrayContaining(['stockmin:A/P:t000', 'cap:A/pA:t000']));
  });

  it('lists the cost/CO₂ trade-off: a higher CO₂ weight never emits more', async () => {
    const green: NetworkInput = {
      ...handSolvedNetwork,
      co2PricePerT: 100,
      lanes: handSolvedNetwork.lanes!.map((l) => ({ ...l, co2TPerTKm: l.id === 'B-C' ? 0.001 : 0.0001 })),
    };
    const front = await paretoFront(solver, parseNetwork(green), [0, 1, 10]);
    expect(front.map((p) => p.co2Weight)).toEqual([0, 1, 10]);
    for (let i = 1; i < front.length; i++) {
      expect(front[i].co2T).toBeLessThanOrEqual(front[i - 1].co2T + 1e-9);
      expect(front[i].costMoney).toBeGreaterThanOrEqual(front[i - 1].costMoney - 1e-9);
    }
    expect(front[2].co2T).toBeLessThan(front[0].co2T);
  });
});
