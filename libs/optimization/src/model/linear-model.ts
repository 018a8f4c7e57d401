/**
 * A sparse linear model: `min|max cᵀx + offset` subject to `rowLower ≤ A x ≤ rowUpper` and
 * `colLower ≤ x ≤ colUpper`, some `x` integral. Rows and columns are named (the names are what an
 * explanation reports). `A` is stored by rows (CSR). Plain typed arrays, so a model crosses a
 * worker-thread boundary by structured clone without conversion.
 */
export type ObjectiveSense = 'minimize' | 'maximize';

export interface LinearModel {
  readonly name: string;
  readonly sense: ObjectiveSense;
  readonly objectiveOffset: number;
  readonly columns: {
    readonly names: readonly string[];
    readonly lower: Float64Array;
    readonly upper: Float64Array;
    readonly cost: Float64Array;
    /** 1 for an integer column (a binary is an integer column with bounds [0, 1]). */
    readonly integer: Uint8Array;
  };
  readonly rows: {
    readonly names: readonly string[];
    readonly lower: Float64Array;
    readonly upper: Float64Array;
  };
  /** CSR: row i holds `indices[starts[i]..starts[i+1])` (column indices) with `values`. */
  readonly matrix: { readonly starts: Int32Array; readonly indices: Int32Array; readonly values: Float64Array };
}

export interface ModelSize {
  readonly rows: number;
  readonly columns: number;
  readonly integers: number;
  readonly binaries: number;
  readonly nonzeros: number;
}

export function modelSize(model: LinearModel): ModelSize {
  let integers = 0;
  let binaries = 0;
  for (let j = 0; j < model.columns.lower.length; j++) {
    if (!model.columns.integer[j]) continue;
    integers++;
    if (model.columns.lower[j] >= 0 && model.columns.upper[j] <= 1) binaries++;
  }
  return { rows: model.rows.lower.length, columns: model.columns.lower.length, integers, binaries, nonzeros: model.matrix.values.length };
}

/**
 * The model without its row and column names, for a solve in a worker thread: the solvers need only
 * the arrays, and a structured clone of some 100,000 name strings costs about 5 × that of the typed
 * arrays (lp-40x10x168: 14–26 ms against 3–4 ms of CPU). Sizes come from the arrays, not the names.
 */
export function withoutNames(model: LinearModel): LinearModel {
  return { ...model, columns: { ...model.columns, names: [] }, rows: { ...model.rows, names: [] } };
}

export function isMip(model: LinearModel): boolean {
  return model.columns.integer.some((v) => v !== 0);
}

/** Objective value of `values` (column values) under the model's costs and offset. */
export function objectiveOf(model: LinearModel, values: ArrayLike<number>): number {
  let sum = model.objectiveOffset;
  for (let j = 0; j < values.length; j++) sum += model.columns.cost[j] * values[j];
  return sum;
}

/** Row activities `A x`. */
export function rowActivities(model: LinearModel, values: ArrayLike<number>): Float64Array {
  const { starts, indices, values: a } = model.matrix;
  const out = new Float64Array(model.rows.lower.length);
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let k = starts[i]; k < starts[i + 1]; k++) s += a[k] * values[indices[k]];
    out[i] = s;
  }
  return out;
}
