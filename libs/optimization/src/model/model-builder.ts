import { invalidModel, type FieldViolation } from '../optimization.error';
import { GrowableFloat64, GrowableInt32, GrowableUint8 } from './growable-array';
import type { LinearModel, ObjectiveSense } from './linear-model';

export interface VariableSpec {
  readonly lower?: number;
  readonly upper?: number;
  readonly cost?: number;
  readonly integer?: boolean;
}

/** Terms of a constraint: parallel column indices and coefficients (duplicates are summed). */
export interface Terms {
  readonly indices: readonly number[];
  readonly values: readonly number[];
}

/**
 * Builds a {@link LinearModel} incrementally in amortised O(1) per entry. Names must be unique per
 * axis; non-finite coefficients and crossed bounds are collected and reported together by `build()`.
 */
export class ModelBuilder {
  private readonly colNames: string[] = [];
  private readonly colIndex = new Map<string, number>();
  private readonly colLower = new GrowableFloat64();
  private readonly colUpper = new GrowableFloat64();
  private readonly colCost = new GrowableFloat64();
  private readonly colInteger = new GrowableUint8();
  private readonly rowNames: string[] = [];
  private readonly rowIndex = new Map<string, number>();
  private readonly rowLower = new GrowableFloat64();
  private readonly rowUpper = new GrowableFloat64();
  private readonly starts = new GrowableInt32().push(0);
  private readonly indices = new GrowableInt32();
  private readonly values = new GrowableFloat64();
  private readonly violations: FieldViolation[] = [];
  private offset = 0;
  /** Per column: 1 + index of the last row that used it, and where in `values` (duplicate terms are summed). */
  private seenInRow = new Int32Array(0);
  private positionInRow = new Int32Array(0);

  private readonly checkNames: boolean;

  /** `checkNames: false` skips indexing names (for generators whose names are unique by construction; saves a hash-map insert per row and column). */
  constructor(
    readonly name: string,
    readonly sense: ObjectiveSense = 'minimize',
    options: { checkNames?: boolean } = {},
  ) {
    this.checkNames = options.checkNames ?? true;
  }

  get columnCount(): number {
    return this.colNames.length;
  }

  get rowCount(): number {
    return this.rowNames.length;
  }

  variable(name: string, spec: VariableSpec = {}): number {
    const lower = spec.lower ?? 0;
    const upper = spec.upper ?? Infinity;
    const cost = spec.cost ?? 0;
    const j = this.colNames.length;
    if (this.checkNames) {
      if (this.colIndex.has(name)) this.violations.push({ field: `columns[${name}]`, description: 'duplicate column name' });
      this.colIndex.set(name, j);
    }
    if (!(lower <= upper) || lower === Infinity || upper === -Infinity) this.violations.push({ field: `columns[${name}]`, description: `bounds [${lower}, ${upper}] are crossed or not usable` });
    if (!Number.isFinite(cost)) this.violations.push({ field: `columns[${name}]`, description: `cost ${cost} is not finite` });
    this.colNames.push(name);
    this.colLower.push(lower);
    this.colUpper.push(upper);
    this.colCost.push(cost);
    this.colInteger.push(spec.integer ? 1 : 0);
    return j;
  }

  binary(name: string, cost = 0): number {
    return this.variable(name, { lower: 0, upper: 1, cost, integer: true });
  }

  addCost(column: number, cost: number): void {
    const sum = this.colCost.add(column, cost);
    if (!Number.isFinite(sum)) this.violations.push({ field: `columns[${this.colNames[column]}]`, description: 'cost is not finite' });
  }

  addObjectiveOffset(value: number): void {
    this.offset += value;
  }

  setBounds(column: number, lower: number, upper: number): void {
    if (lower > upper) this.violations.push({ field: `columns[${this.colNames[column]}]`, description: `lower bound ${lower} exceeds upper bound ${upper}` });
    this.colLower.set(column, lower);
    this.colUpper.set(column, upper);
  }


  /** `lower ≤ Σ values·x[indices] ≤ upper`; returns the row index. */
  constraint(name: string, terms: Terms, lower: number, upper: number): number {
    const i = this.rowNames.length;
    if (this.checkNames) {
      if (this.rowIndex.has(name)) this.violations.push({ field: `rows[${name}]`, description: 'duplicate row name' });
      this.rowIndex.set(name, i);
    }
    if (!(lower <= upper)) this.violations.push({ field: `rows[${name}]`, description: `bounds [${lower}, ${upper}] are crossed or not numbers` });
    const n = this.colNames.length;
    if (this.seenInRow.length < n) this.growMarks(n);
    for (let k = 0; k < terms.indices.length; k++) {
      const j = terms.indices[k];
      const v = terms.values[k];
      if (!(j >= 0 && j < n) || !Number.isInteger(j)) {
        this.violations.push({ field: `rows[${name}]`, description: `term ${k} refers to no column (${j})` });
        continue;
      }
      if (!Number.isFinite(v)) this.violations.push({ field: `rows[${name}]`, description: `coefficient of ${this.colNames[j]} is ${v}` });
      if (this.seenInRow[j] === i + 1) this.values.add(this.positionInRow[j], v);
      else if (v !== 0) {
        this.seenInRow[j] = i + 1;
        this.positionInRow[j] = this.values.length;
        this.indices.push(j);
        this.values.push(v);
      }
    }
    this.rowNames.push(name);
    this.rowLower.push(lower);
    this.rowUpper.push(upper);
    this.starts.push(this.indices.length);
    return i;
  }

  private growMarks(n: number): void {
    const size = Math.max(n, this.seenInRow.length * 2, 1024);
    const seen = new Int32Array(size);
    seen.set(this.seenInRow);
    const pos = new Int32Array(size);
    pos.set(this.positionInRow);
    this.seenInRow = seen;
    this.positionInRow = pos;
  }

  lessOrEqual(name: string, terms: Terms, rhs: number): number {
    return this.constraint(name, terms, -Infinity, rhs);
  }

  greaterOrEqual(name: string, terms: Terms, rhs: number): number {
    return this.constraint(name, terms, rhs, Infinity);
  }

  equal(name: string, terms: Terms, rhs: number): number {
    return this.constraint(name, terms, rhs, rhs);
  }

  build(): LinearModel {
    if (this.violations.length > 0) throw invalidModel(this.violations);
    return {
      name: this.name,
      sense: this.sense,
      objectiveOffset: this.offset,
      columns: {
        names: this.colNames,
        lower: this.colLower.toArray(),
        upper: this.colUpper.toArray(),
        cost: this.colCost.toArray(),
        integer: this.colInteger.toArray(),
      },
      rows: { names: this.rowNames, lower: this.rowLower.toArray(), upper: this.rowUpper.toArray() },
      matrix: { starts: this.starts.toArray(), indices: this.indices.toArray(), values: this.values.toArray() },
    };
  }
}

/** Small helper to collect terms fluently: `terms().add(x, 2).add(y, -1)`. */
export class TermList implements Terms {
  readonly indices: number[] = [];
  readonly values: number[] = [];

  add(column: number, coefficient: number): this {
    this.indices.push(column);
    this.values.push(coefficient);
    return this;
  }
}

export function terms(): TermList {
  return new TermList();
}
