import { ModelBuilder, type Terms, type VariableSpec } from '@reflux/optimization';
import type { ProblemDocument } from '../problem.schema';

export const costCategories = [
  'rawMaterials',
  'production',
  'startups',
  'changeovers',
  'inventoryHolding',
  'power',
  'powerPeak',
  'fuel',
  'flaring',
  'steamVenting',
  'coolingWater',
  'co2',
  'lateness',
  'shortfall',
  'sales',
  'scheduleChanges',
] as const;
export type CostCategory = (typeof costCategories)[number];
const categoryIndex = Object.fromEntries(costCategories.map((c, i) => [c, i])) as Record<CostCategory, number>;
const noSpec: VariableSpec = {};

/** What a row means, for explanations: a sentence and the unit of its right-hand side. */
export interface RowMeaning {
  readonly text: string;
  readonly unit: string;
}

/**
 * Wraps the model builder with what the scheduling formulation needs besides the model: the cost
 * category of every objective contribution (for the cost breakdown) and the meaning of rows worth
 * explaining (for shadow prices).
 */
export class FormulationContext {
  readonly b: ModelBuilder;
  readonly T: number;
  readonly dt: number;
  readonly costColumns: number[] = [];
  readonly costCoefficients: number[] = [];
  readonly costCategoryIndex: number[] = [];
  readonly constantCosts = new Map<CostCategory, number>();
  /** Meaning of the explainable rows, by row index, built only when a row is reported. */
  readonly rowMeanings: (() => RowMeaning)[] = [];

  constructor(readonly problem: ProblemDocument) {
    // names are unique by construction (ids are validated unique), so the builder need not index them
    this.b = new ModelBuilder(`schedule ${problem.plant} ${problem.horizon.start}`, 'minimize', { checkNames: false });
    this.T = problem.horizon.periods;
    this.dt = problem.horizon.periodHours;
  }

  /** ISO time of the start of period t. */
  timeOf(t: number): string {
    return (this.times[t] ??= new Date(Date.parse(this.problem.horizon.start) + t * this.dt * 3_600_000).toISOString().replace(':00.000Z', 'Z'));
  }

  private readonly times: string[] = [];

  col(name: string, spec: VariableSpec & { category?: CostCategory } = noSpec): number {
    // the builder takes the bounds and integrality; the cost goes through `cost` to keep its category
    const j = this.b.variable(name, spec.cost ? { lower: spec.lower, upper: spec.upper, integer: spec.integer } : spec);
    if (spec.cost) this.cost(j, spec.cost, spec.category ?? 'production');
    return j;
  }

  cost(column: number, coefficient: number, category: CostCategory): void {
    if (coefficient === 0) return;
    this.b.addCost(column, coefficient);
    this.costColumns.push(column);
    this.costCoefficients.push(coefficient);
    this.costCategoryIndex.push(categoryIndex[category]);
  }

  constant(value: number, category: CostCategory): void {
    this.b.addObjectiveOffset(value);
    this.constantCosts.set(category, (this.constantCosts.get(category) ?? 0) + value);
  }

  row(name: string, terms: Terms, lower: number, upper: number, meaning?: () => RowMeaning): number {
    const i = this.b.constraint(name, terms, lower, upper);
    if (meaning) this.rowMeanings[i] = meaning;
    return i;
  }
}

const periodLabels: string[] = [];

/** `t003`: the period suffix of row and column names (cached: it is asked for once per column and row). */
export function periodLabel(t: number): string {
  return (periodLabels[t] ??= `t${String(t).padStart(3, '0')}`);
}
