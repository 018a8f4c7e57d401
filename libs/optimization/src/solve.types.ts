/** Which solver runs a model. `auto` picks by size (see `chooseBackend`). */
export type BackendChoice = 'auto' | 'highs' | 'jslp';
export type Backend = Exclude<BackendChoice, 'auto'>;

export interface SolveOptions {
  /** Wall-clock limit of the solver run, seconds. The best solution found by then is returned. */
  readonly timeLimitSeconds?: number;
  /** Relative MIP gap at which to stop, as a fraction (0.01 = 1 %). HiGHS default 1e-4. */
  readonly mipRelativeGap?: number;
  /** Aborting stops the solve; the best solution found so far is returned with status `cancelled`. */
  readonly signal?: AbortSignal;
  /**
   * After an abort, how long this solve may take to return its incumbent before its worker is ended
   * (then the result has no solution), milliseconds. Default: the solver's `cancelGraceMs`.
   */
  readonly cancelGraceMs?: number;
  readonly backend?: BackendChoice;
  /** The caller needs shadow prices: `auto` then picks HiGHS (javascript-lp-solver reports none). */
  readonly duals?: boolean;
  /** LP algorithm for HiGHS; `ipm` runs crossover so duals and a basis are still reported. */
  readonly lpAlgorithm?: 'choose' | 'simplex' | 'ipm';
  /** A starting point (MIP incumbent candidate), by column index. HiGHS only. */
  readonly start?: { readonly indices: readonly number[]; readonly values: readonly number[] };
  /** Extra HiGHS options (`presolve`, `mip_heuristic_effort`, …), passed through. */
  readonly highsOptions?: Readonly<Record<string, string | number | boolean>>;
}

export type SolveStatus =
  | 'optimal'
  /** Stopped at the time limit; `hasSolution` says whether an incumbent exists. */
  | 'time-limit'
  | 'cancelled'
  | 'infeasible'
  | 'unbounded'
  | 'infeasible-or-unbounded'
  | 'error';

export interface SolveResult {
  readonly status: SolveStatus;
  readonly backend: Backend;
  /** True when `values` is a feasible (within tolerances) solution. */
  readonly hasSolution: boolean;
  readonly objective?: number;
  /** Best proven bound on the objective (MIP); equals `objective` for a solved LP. */
  readonly bestBound?: number;
  /** Relative gap |objective − bound| / max(|objective|, 1e-9) in percent; 0 for a solved LP. */
  readonly gapPercent?: number;
  /** Column values in model order (empty when there is no solution). */
  readonly values: Float64Array;
  /**
   * Row duals (shadow prices) in model order: change of the objective per unit increase of the
   * row's active bound. Present for LPs solved to optimality by HiGHS.
   */
  readonly duals?: Float64Array;
  /** Reduced costs of the columns, same convention; LP only. */
  readonly reducedCosts?: Float64Array;
  readonly solveMs: number;
  readonly message?: string;
}
