/** One constraint or bound that had to give way for the model to become feasible. */
export interface Relaxation {
  readonly kind: 'row' | 'column-bound';
  readonly name: string;
  /** Which bound was moved. */
  readonly bound: 'lower' | 'upper';
  readonly boundValue: number;
  /** Activity (row) or value (column) in the relaxed solution. */
  readonly value: number;
  /** |value − boundValue|, in the units of the row or column. */
  readonly violation: number;
}

export interface InfeasibilityExplanation {
  readonly feasible: boolean;
  /**
   * Elastic reformulation: every row bound (and every finite column bound, at a 1000× higher
   * penalty) may be violated at a cost per unit; the cheapest total violation is found and the
   * relaxed items are listed, largest first.
   */
  readonly relaxations: readonly Relaxation[];
  /** Names of the rows and columns of an irreducible infeasible subset (LP relaxation), if found. */
  readonly conflict: { readonly rows: readonly string[]; readonly columns: readonly string[] };
  readonly message: string;
}

export interface ExplainOptions {
  readonly timeLimitSeconds?: number;
  readonly signal?: AbortSignal;
  /**
   * Penalty per unit of violation of each row (model order; default 1 each). Give physical laws
   * (mass balances) a higher penalty than targets, so the explanation names the target that
   * cannot be met rather than matter appearing from nowhere.
   */
  readonly rowPenalties?: Float64Array;
}
