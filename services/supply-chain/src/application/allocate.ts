import type { LinearSolver, SolveResult } from '@reflux/optimization';
import { readAllocation, type Allocation, type CurrentPlan } from '../domain/allocation';
import { bindingLimits, explanationRowPenalties, fixIntegers, type BindingLimit } from '../domain/explanation';
import { formulate, type Formulation } from '../domain/formulation/formulate';
import { completeStart, withModulesOfPlan } from '../domain/formulation/warm-start';
import type { Network } from '../domain/network.schema';
import { SupplyChainError, SupplyChainErrorCode } from '../domain/supply-chain.errors';

export interface AllocateOptions {
  readonly timeLimitSeconds?: number;
  /** Relative MIP gap, fraction (0.01 = 1 %). */
  readonly mipRelativeGap?: number;
  readonly signal?: AbortSignal;
  /** Re-allocation: the plan in force (frozen periods kept, deviation penalised, MIP start). */
  readonly plan?: CurrentPlan;
  /** Solve the LP relaxation of a MILP network. */
  readonly relax?: boolean;
}

export interface AllocationOutcome {
  readonly allocation: Allocation;
  readonly formulation: Formulation;
  readonly result: SolveResult;
}

const infeasibleStatuses = new Set<SolveResult['status']>(['infeasible', 'infeasible-or-unbounded']);

/** Formulates and solves the network; an infeasible request fails naming the constraints that conflict. */
export async function allocate(solver: LinearSolver, network: Network, o: AllocateOptions = {}): Promise<AllocationOutcome> {
  const t0 = performance.now();
  const f = formulate(network, { plan: o.plan, relax: o.relax });
  if (f.milp && o.plan) {
    const warm = await reallocate(solver, f, o, t0);
    if (warm) return warm;
  }
  const result = await solver.solve(f.model, { timeLimitSeconds: o.timeLimitSeconds, mipRelativeGap: o.mipRelativeGap, signal: o.signal, backend: 'highs', start: f.start });
  if (infeasibleStatuses.has(result.status)) {
    const why = await solver.explainInfeasibility(f.model, { rowPenalties: explanationRowPenalties(f), timeLimitSeconds: o.timeLimitSeconds });
    throw new SupplyChainError(SupplyChainErrorCode.infeasible, `the allocation is ${why.message}`, [], {
      relaxations: why.relaxations.slice(0, 20).map((r) => ({ ...r, meaning: f.rowMeanings[f.model.rows.names.indexOf(r.name)]?.text })),
      conflict: why.conflict,
    });
  }
  if (!result.hasSolution && f.milp && o.plan && result.status === 'time-limit') {
    // re-allocation without an incumbent in time: keep the plan's modules (clipped to what is still available) and solve the LP
    const fallback = await solver.solve(withModulesOfPlan(f), { timeLimitSeconds: o.timeLimitSeconds, signal: o.signal, backend: 'highs' });
    if (fallback.hasSolution) return { allocation: { ...readAllocation(f, fallback), status: 'time-limit' }, formulation: f, result: fallback };
  }
  if (!result.hasSolution) throw new SupplyChainError(SupplyChainErrorCode.noSolution, `no allocation found (${result.status}${result.message ? `: ${result.message}` : ''})`);
  return { allocation: readAllocation(f, result), formulation: f, result };
}

/**
 * Re-allocation warm-started from the plan in force, within `timeLimitSeconds` counted from `t0`
 * (formulation included): first the LP with the plan's modules fixed (clipped to what is still
 * available), a complete feasible solution; then the MILP from that solution as MIP start, in what
 * is left of the time. HiGHS thus always holds an incumbent and stops at the gap or the limit with
 * the best it has. Undefined when the plan's modules admit no solution (the caller solves cold).
 */
async function reallocate(solver: LinearSolver, f: Formulation, o: AllocateOptions, t0: number): Promise<AllocationOutcome | undefined> {
  const left = () => (o.timeLimitSeconds === undefined ? undefined : Math.max(0.2, o.timeLimitSeconds - (performance.now() - t0) / 1000));
  // HiGHS checks its time limit only now and then (on a loaded machine seconds apart): the deadline also interrupts it
  const deadline = o.timeLimitSeconds === undefined ? undefined : AbortSignal.timeout(Math.round(left()! * 1000));
  const signal = deadline && o.signal ? AbortSignal.any([deadline, o.signal]) : (deadline ?? o.signal);
  const fixed = await solver.solve(withModulesOfPlan(f), { timeLimitSeconds: left(), signal, backend: 'highs' });
  if (fixed.status !== 'optimal') return undefined;
  const solved = await solver.solve(f.model, { timeLimitSeconds: left(), mipRelativeGap: o.mipRelativeGap, signal, backend: 'highs', start: completeStart(f, fixed.values) });
  const mip: SolveResult = solved.status === 'cancelled' && !o.signal?.aborted ? { ...solved, status: 'time-limit' } : solved;
  const tolerance = 1e-6 * Math.max(1, Math.abs(fixed.objective ?? 0));
  if (mip.hasSolution && (mip.objective ?? Infinity) <= (fixed.objective ?? Infinity) + tolerance) return { allocation: readAllocation(f, mip), formulation: f, result: mip };
  // HiGHS refused the start and found nothing better in time: the plan's modules, production and shipments re-optimised around them
  const gapPercent = mip.bestBound !== undefined && fixed.objective !== undefined ? (100 * Math.abs(fixed.objective - mip.bestBound)) / Math.max(Math.abs(fixed.objective), 1e-9) : 100;
  return { allocation: { ...readAllocation(f, fixed), status: 'time-limit', gapPercent }, formulation: f, result: fixed };
}

/** Binding limits with shadow prices of an allocation (MILP: the LP with its integers fixed). */
export async function explainBinding(solver: LinearSolver, outcome: AllocationOutcome, limit = 20): Promise<BindingLimit[]> {
  const { formulation: f, result } = outcome;
  const model = f.milp ? fixIntegers(f.model, result.values) : f.model;
  const lp = f.milp || !result.duals ? await solver.solve(model, { duals: true, backend: 'highs' }) : result;
  return bindingLimits(f, model, lp, limit);
}

export interface ParetoPoint {
  readonly co2Weight: number;
  /** Money spent (all categories but CO₂ and risk). */
  readonly costMoney: number;
  readonly co2T: number;
  readonly riskMoney: number;
  readonly objective: number;
}

/** The cost/CO₂ trade-off: one allocation per CO₂ weight (weights.co2 replaced), cheapest-in-money first. */
export async function paretoFront(solver: LinearSolver, network: Network, co2Weights: readonly number[], o: Omit<AllocateOptions, 'plan'> = {}): Promise<ParetoPoint[]> {
  const points: ParetoPoint[] = [];
  for (const w of co2Weights) {
    const { allocation: a } = await allocate(solver, { ...network, weights: { ...network.weights, co2: w } }, o);
    const costMoney = Object.entries(a.costs).reduce((sum, [k, v]) => (k === 'co2' || k === 'risk' ? sum : sum + v), 0);
    points.push({ co2Weight: w, costMoney: Math.round(costMoney * 1e6) / 1e6, co2T: a.co2T, riskMoney: a.costs.risk, objective: a.objective });
  }
  return points;
}
