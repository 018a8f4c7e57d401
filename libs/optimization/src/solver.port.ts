import type { ExplainOptions, InfeasibilityExplanation } from './explain/infeasibility.types';
import type { LinearModel } from './model/linear-model';
import type { SolveOptions, SolveResult } from './solve.types';

/**
 * The solver port: solve a sparse LP/MILP off the caller's event loop, and explain an infeasible
 * model by the names of its constraints. Implemented by `WorkerSolver`.
 */
export interface LinearSolver {
  solve(model: LinearModel, options?: SolveOptions): Promise<SolveResult>;
  explainInfeasibility(model: LinearModel, options?: ExplainOptions): Promise<InfeasibilityExplanation>;
  close(): Promise<void>;
}
