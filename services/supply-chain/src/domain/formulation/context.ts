import { ModelBuilder, type Terms, type VariableSpec } from '@reflux/optimization';
import type { Network } from '../network.schema';

/** Where the money (and the objective) goes; `co2` and `risk` are priced, the rest are costs. */
export const costCategories = ['rawMaterials', 'production', 'startups', 'energy', 'inventoryHolding', 'transport', 'co2', 'risk', 'lateness', 'shortfall', 'planChanges'] as const;
export type CostCategory = (typeof costCategories)[number];

/** What an explainable row means: a sentence, its unit, and what kind of limit it is. */
export interface RowMeaning {
  readonly kind: 'module-capacity' | 'lane-capacity' | 'energy' | 'stock' | 'balance' | 'frozen' | 'order' | 'supply';
  readonly text: string;
  readonly unit: string;
}

export function periodLabel(t: number): string {
  return `t${String(t).padStart(3, '0')}`;
}

/**
 * The model builder plus what the allocation needs besides the model: the cost category of every
 * objective term (unweighted money, for the cost breakdown), the CO₂ and risk per column, and the
 * meaning of rows worth explaining.
 */
export class FormulationContext {
  readonly b: ModelBuilder;
  readonly T: number;
  readonly costColumns: number[] = [];
  readonly costCoefficients: number[] = [];
  readonly costCategoryIndex: number[] = [];
  readonly co2Columns: number[] = [];
  readonly co2TPerUnit: number[] = [];
  readonly rowMeanings: RowMeaning[] = [];
  readonly constantCosts = new Map<CostCategory, number>();

  constructor(readonly network: Network) {
    // names are unique by construction (ids are validated unique)
    this.b = new ModelBuilder(`supply ${network.name}`, 'minimize', { checkNames: false });
    this.T = network.horizon.periods;
  }

  /** Objective weight of a category: cost weight for money, CO₂ weight × CO₂ price for emissions (per t), risk weight for risk. */
  private weight(category: CostCategory): number {
    const w = this.network.weights;
    return category === 'co2' ? w.co2 : category === 'risk' ? w.risk : w.cost;
  }

  col(name: string, spec: VariableSpec = {}): number {
    return this.b.variable(name, spec);
  }

  /** Adds `money per unit` of a column to the objective under a category (weighted in the objective, not in the breakdown). */
  cost(column: number, moneyPerUnit: number, category: CostCategory): void {
    if (moneyPerUnit === 0) return;
    this.b.addCost(column, moneyPerUnit * this.weight(category));
    this.costColumns.push(column);
    this.costCoefficients.push(moneyPerUnit);
    this.costCategoryIndex.push(costCategories.indexOf(category));
  }

  /** t CO₂ per unit of a column: counted in the emissions and priced at the CO₂ price. */
  co2(column: number, tPerUnit: number): void {
    if (tPerUnit === 0) return;
    this.co2Columns.push(column);
    this.co2TPerUnit.push(tPerUnit);
    this.cost(column, tPerUnit * this.network.co2PricePerT, 'co2');
  }

  constant(money: number, category: CostCategory): void {
    this.b.addObjectiveOffset(money * this.weight(category));
    this.constantCosts.set(category, (this.constantCosts.get(category) ?? 0) + money);
  }

  row(name: string, t: Terms, lower: number, upper: number, meaning?: RowMeaning): number {
    const i = this.b.constraint(name, t, lower, upper);
    if (meaning) this.rowMeanings[i] = meaning;
    return i;
  }
}
