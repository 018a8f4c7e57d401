import { bindingConstraints, type LinearSolver, type SolveOptions, type SolveResult } from '@reflux/optimization';
import { fixIntegers } from '../domain/fixed-integers';
import { formulate, type Formulation } from '../domain/formulation/formulate';
import { autoLpSettings } from '../domain/formulation/lp-settings';
import { parseProblem } from '../domain/parse-problem';
import type { ProblemDocument } from '../domain/problem.schema';
import { costBreakdown, extractSchedule, sizeOf, type ScheduleResult, type ShadowPrice } from '../domain/schedule';

export interface SolveProblemOptions {
  readonly signal?: AbortSignal;
  /** How many binding constraints to report (default 20; 0: skip the explanation solve). */
  readonly explainTop?: number;
}

/** Family of a row: its name without the period (`balance:crude:t003` → `balance:crude`). */
function family(name: string): string {
  return name.replace(/:t\d+$/, '');
}

/** The binding constraints with the largest shadow prices, at most 3 per family so one material or resource does not fill the list. */
function shadowPrices(f: Formulation, solved: SolveResult, top: number): ShadowPrice[] {
  const perFamily = new Map<string, number>();
  return bindingConstraints(f.model, solved)
    .filter((b) => f.rowMeanings[b.index] !== undefined)
    .filter((b) => {
      const n = (perFamily.get(family(b.name)) ?? 0) + 1;
      perFamily.set(family(b.name), n);
      return n <= 3;
    })
    .slice(0, top)
    .map((b) => {
      const meaning = f.rowMeanings[b.index]!();
      return { constraint: b.name, meaning: meaning.text, shadowPrice: Number(b.shadowPrice.toPrecision(6)), unit: meaning.unit, activity: Number(b.activity.toFixed(6)), limit: b.boundValue };
    });
}

/** Solver options for a formulation, as the service uses them (the benchmark uses the same). */
export function solveOptionsFor(f: Formulation, options: SolveProblemOptions = {}): SolveOptions {
  const { solve } = f.problem;
  return {
    timeLimitSeconds: solve.timeLimitSeconds,
    mipRelativeGap: solve.mipGapPercent / 100,
    backend: solve.backend,
    ...(solve.lpAlgorithm === 'auto' ? autoLpSettings(f) : { lpAlgorithm: solve.lpAlgorithm }),
    duals: !f.milp && (options.explainTop ?? 20) > 0,
    start: f.milp && f.start.indices.length > 0 ? f.start : undefined,
    signal: options.signal,
  };
}

/**
 * Solves a problem document: validate, formulate, solve through the solver port (off the event
 * loop), and explain — cost breakdown, binding constraints with shadow prices, or for an
 * infeasible request the constraints that conflict, by name. Used by the CLI and the service alike.
 */
export async function solveProblem(input: unknown, solver: LinearSolver, options: SolveProblemOptions = {}): Promise<ScheduleResult> {
  const problem: ProblemDocument = parseProblem(input);
  const t0 = performance.now();
  const f = formulate(problem);
  const buildMs = performance.now() - t0;
  const size = sizeOf(f);
  const base = { plant: problem.plant, formulation: problem.formulation, currency: problem.currency, size, buildMs: Number(buildMs.toFixed(1)), yieldSources: f.yieldSources };
  const solved = await solver.solve(f.model, solveOptionsFor(f, options));
  const common = { ...base, status: solved.status, backend: solved.backend, solveMs: Number(solved.solveMs.toFixed(1)) };
  if (solved.status === 'infeasible' || solved.status === 'infeasible-or-unbounded') {
    // conservation laws and equipment limits give way last (100 per unit): the explanation names the
    // targets and commitments (final stocks, frozen periods, caps, supply totals) that cannot all hold
    const physical = /^(balance|gas-balance|fuel-balance|boiler-fuel|depart|arrive|occupancy|rate-max|rate-min|min-run|co2|power|steam):/;
    const rowPenalties = Float64Array.from(f.model.rows.names, (n) => (physical.test(n) || n === 'co2' ? 100 : 1));
    const why = await solver.explainInfeasibility(f.model, { timeLimitSeconds: problem.solve.timeLimitSeconds, signal: options.signal, rowPenalties });
    const index = new Map(f.model.rows.names.map((n, i) => [n, i]));
    return {
      ...common,
      message: why.message,
      infeasibility: {
        message: why.message,
        relaxations: why.relaxations.map((r) => ({ constraint: r.name, meaning: index.has(r.name) ? f.rowMeanings[index.get(r.name)!]?.().text : undefined, bound: r.bound, limit: r.boundValue, value: r.value, violation: Number(r.violation.toPrecision(6)) })),
        conflict: [...why.conflict.rows, ...why.conflict.columns],
      },
    };
  }
  if (!solved.hasSolution) return { ...common, message: solved.message ?? `no solution (${solved.status})` };
  const breakdown = costBreakdown(f, solved.values);
  const top = options.explainTop ?? 20;
  let binding: ShadowPrice[] | undefined;
  if (top > 0) {
    const priced = f.milp ? await solver.solve(fixIntegers(f.model, solved.values), { backend: 'highs', duals: true, signal: options.signal }) : solved;
    binding = priced.status === 'optimal' ? shadowPrices(f, priced, top) : undefined;
  }
  return {
    ...common,
    objective: solved.objective,
    bestBound: solved.bestBound,
    gapPercent: solved.gapPercent,
    costBreakdown: breakdown,
    schedule: extractSchedule(f, solved.values, breakdown),
    bindingConstraints: binding,
  };
}
