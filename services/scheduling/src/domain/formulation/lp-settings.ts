import type { SolveOptions } from '@reflux/optimization';
import type { Formulation } from './formulate';

/** From this many columns an LP is solved without HiGHS' presolve (see `autoLpSettings`). */
export const lpNoPresolveFromColumns = 50_000;

/**
 * Solver settings of `solve.lpAlgorithm: "auto"`. A scheduling LP goes to HiGHS' dual simplex, from
 * 50,000 columns without presolve; a MILP keeps HiGHS' defaults (presolve and probing pay off in
 * branch and bound).
 *
 * Evidence (bench/scheduling/tune.ts, CPU time of the solver, variants back to back in one process
 * on the shared machine): on lp-40x10x168 (80,082 columns) dual simplex without presolve 2.8–3.2 s,
 * with presolve 4.3–5.2 s, interior point (IPX) with crossover 7.1–8.5 s, without crossover 6.2–6.5 s;
 * on lp-20x8x96 (17,842 columns) dual simplex 0.38–0.40 s with or without presolve, IPX 0.6–0.7 s
 * without crossover and 0.74–1.1 s with it. Presolve here mostly turns the single-material tank rows
 * into bounds, which the simplex handles as cheaply. Simplex ends on a basis, so the duals (shadow
 * prices) are those of a vertex with no crossover to pay for. Below the threshold presolve stays on:
 * it costs nothing measurable there and keeps the solver's path (and its choice among equally cheap
 * plans) as before. The explicit choices (`choose`, `simplex`, `ipm`) keep HiGHS' presolve.
 */
export function autoLpSettings(f: Pick<Formulation, 'milp' | 'model'>): Pick<SolveOptions, 'lpAlgorithm' | 'highsOptions'> {
  if (f.milp) return { lpAlgorithm: 'choose' };
  return f.model.columns.lower.length >= lpNoPresolveFromColumns ? { lpAlgorithm: 'simplex', highsOptions: { presolve: 'off' } } : { lpAlgorithm: 'simplex' };
}
