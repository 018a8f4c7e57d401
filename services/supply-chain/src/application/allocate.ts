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

/** Wall-clock time of each stage of an allocation, ms (a solve includes the hand-over to its worker thread). */
export interface AllocationStageMs {
  readonly buildMs: number;
  /** Re-allocation: the LP with the plan's modules fixed. */
  readonly fixedModulesLpMs?: number;
  /** The MILP (re-allocation: from the fixed-module LP's solution), or the LP of an LP network. */
  readonly solveMs?: number;
  readonly readMs: number;
}

export interface AllocationOutcome {
  readonly allocation: Allocation;
  readonly formulation: Formulation;
  readonly result: SolveResult;
  readonly stageMs: AllocationStageMs;
}

/**
 * Of a re-allocation's budget, what is kept back after the last solve for reading its solution and
 * appending the proposal (s); the MILP's time limit and deadline end that much earlier.
 */
export const REALLOCATION_RESERVE_S = 0.5;
/** How long an interrupted re-allocation MILP may take to hand back its incumbent before its worker is ended (ms). */
export const REALLOCATION_CANCEL_GRACE_MS = 250;

const infeasibleStatuses = new Set<SolveResult['status']>(['infeasible', 'infeasible-or-unbounded']);

/** Formulates and solves the network; an infeasible request fails naming the constraints that conflict. */
export async function allocate(solver: LinearSolver, network: Network, o: AllocateOptions = {}): Promise<AllocationOutcome> {
  const t0 = performance.now();
  const f = formulate(network, { plan: o.plan, relax: o.relax });
  const buildMs = performance.now() - t0;
  let fixedModulesLpMs: number | undefined;
  let timeLimitSeconds = o.timeLimitSeconds;
  let signal = o.signal;
  if (f.milp && o.plan) {
    const warm = await reallocate(solver, f, o, t0, buildMs);
    if ('allocation' in warm) return warm;
    fixedModulesLpMs = warm.fixedModulesLpMs;
    if (timeLimitSeconds !== undefined) {
      // solved cold: what is left of the budget, as HiGHS' time limit and as a deadline (the default cancel grace keeps a late incumbent)
      timeLimitSeconds = Math.max(0.05, timeLimitSeconds - (performance.now() - t0) / 1000 - REALLOCATION_RESERVE_S);
      const deadline = AbortSignal.timeout(Math.round(timeLimitSeconds * 1000) + 100);
      signal = o.signal ? AbortSignal.any([deadline, o.signal]) : deadline;
    }
  }
  const ts = performance.now();
  const solved = await solver.solve(f.model, { timeLimitSeconds, mipRelativeGap: o.mipRelativeGap, signal, backend: 'highs', start: f.start });
  const result: SolveResult = solved.status === 'cancelled' && !o.signal?.aborted ? { ...solved, status: 'time-limit' } : solved;
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
    if (fallback.hasSolution) return outcome(f, fallback, { buildMs, fixedModulesLpMs, solveMs: performance.now() - ts }, { status: 'time-limit' });
  }
  if (!result.hasSolution) throw new SupplyChainError(SupplyChainErrorCode.noSolution, `no allocation found (${result.status}${result.message ? `: ${result.message}` : ''})`);
  return outcome(f, result, { buildMs, fixedModulesLpMs, solveMs: performance.now() - ts });
}

function outcome(f: Formulation, result: SolveResult, stageMs: Omit<AllocationStageMs, 'readMs'>, override: Partial<Allocation> = {}): AllocationOutcome {
  const tr = performance.now();
  const allocation = { ...readAllocation(f, result), ...override };
  return { allocation, formulation: f, result, stageMs: { ...stageMs, readMs: performance.now() - tr } };
}

/**
 * Re-allocation warm-started from the plan in force, within `timeLimitSeconds` counted from `t0`
 * (formulation included): first the LP with the plan's modules fixed (clipped to what is still
 * available), a complete feasible solution; then the MILP from that solution as MIP start, in what
 * is left of the time less `REALLOCATION_RESERVE_S`. The MILP has that as HiGHS' own `time_limit`
 * and, in case HiGHS is in a phase that checks neither its clock nor the interrupt, a deadline
 * 0.1 s later after which its worker gets `REALLOCATION_CANCEL_GRACE_MS` and is then ended. The
 * proposal is the MILP's incumbent when it is at least as good as the fixed-module LP's, else that
 * LP's solution (feasible) with its gap against the MILP's bound (100 when there is none).
 * Only the fixed-module LP's time when the plan's modules admit no solution (the caller solves cold).
 */
async function reallocate(solver: LinearSolver, f: Formulation, o: AllocateOptions, t0: number, buildMs: number): Promise<AllocationOutcome | { fixedModulesLpMs: number }> {
  const end = o.timeLimitSeconds === undefined ? undefined : t0 + o.timeLimitSeconds * 1000;
  const left = (reserveS: number) => (end === undefined ? undefined : Math.max(0.05, (end - performance.now()) / 1000 - reserveS));
  const deadline = (reserveS: number) => (end === undefined ? undefined : AbortSignal.timeout(Math.round(left(reserveS)! * 1000)));
  const withCaller = (d: AbortSignal | undefined) => (d && o.signal ? AbortSignal.any([d, o.signal]) : (d ?? o.signal));
  const tf = performance.now();
  const fixed = await solver.solve(withModulesOfPlan(f), { timeLimitSeconds: left(REALLOCATION_RESERVE_S), signal: withCaller(deadline(REALLOCATION_RESERVE_S - 0.1)), backend: 'highs' });
  const fixedModulesLpMs = performance.now() - tf;
  if (fixed.status !== 'optimal') return { fixedModulesLpMs };
  const tm = performance.now();
  const solved = await solver.solve(f.model, {
    timeLimitSeconds: left(REALLOCATION_RESERVE_S),
    mipRelativeGap: o.mipRelativeGap,
    signal: withCaller(deadline(REALLOCATION_RESERVE_S - 0.1)),
    cancelGraceMs: end === undefined ? undefined : REALLOCATION_CANCEL_GRACE_MS,
    backend: 'highs',
    start: completeStart(f, fixed.values),
  });
  const stageMs = { buildMs, fixedModulesLpMs, solveMs: performance.now() - tm };
  const mip: SolveResult = solved.status === 'cancelled' && !o.signal?.aborted ? { ...solved, status: 'time-limit' } : solved;
  const tolerance = 1e-6 * Math.max(1, Math.abs(fixed.objective ?? 0));
  if (mip.hasSolution && (mip.objective ?? Infinity) <= (fixed.objective ?? Infinity) + tolerance) return outcome(f, mip, stageMs);
  // the MILP found nothing better in time (or its worker was ended): the plan's modules, production and shipments re-optimised around them
  const gapPercent = mip.bestBound !== undefined && fixed.objective !== undefined ? (100 * Math.abs(fixed.objective - mip.bestBound)) / Math.max(Math.abs(fixed.objective), 1e-9) : 100;
  return outcome(f, fixed, stageMs, { status: 'time-limit', gapPercent });
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
