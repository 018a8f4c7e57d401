import type { LinearModel } from '@reflux/optimization';
import type { ProblemDocument } from '../problem.schema';
import { effectiveYields, type YieldSource } from '../yields';
import { type CostCategory, FormulationContext, type RowMeaning } from './formulation-context';
import { formulateEnergy, type EnergyVariables } from './energy';
import { formulateMaterials, type MaterialVariables } from './materials';
import { formulateProduction, type ProductionVariables } from './production';
import { formulatePublished } from './published';

export interface Formulation {
  readonly problem: ProblemDocument;
  readonly model: LinearModel;
  readonly milp: boolean;
  readonly production: ProductionVariables;
  readonly materials: MaterialVariables;
  readonly energy: EnergyVariables;
  readonly yieldSources: readonly YieldSource[];
  /** Objective terms by cost category: parallel arrays (column, coefficient, category index). */
  readonly costTerms: { readonly columns: Int32Array; readonly coefficients: Float64Array; readonly categories: Uint8Array };
  readonly constantCosts: ReadonlyMap<CostCategory, number>;
  /** Meaning of explainable rows by row index (sparse; call to build the text). */
  readonly rowMeanings: readonly ((() => RowMeaning) | undefined)[];
  /** Warm start from the published schedule (MILP). */
  readonly start: { readonly indices: number[]; readonly values: number[] };
}

/** The problem document as an LP or MILP minimising total cost over the horizon. */
export function formulate(problem: ProblemDocument): Formulation {
  const ctx = new FormulationContext(problem);
  const milp = problem.formulation === 'milp';
  const yields = effectiveYields(problem);
  const production = formulateProduction(ctx, milp);
  const materials = formulateMaterials(ctx, production, yields);
  const energy = formulateEnergy(ctx, production);
  const start = formulatePublished(ctx, production, milp);
  return {
    problem,
    model: ctx.b.build(),
    milp,
    production,
    materials,
    energy,
    yieldSources: yields.sources,
    costTerms: { columns: Int32Array.from(ctx.costColumns), coefficients: Float64Array.from(ctx.costCoefficients), categories: Uint8Array.from(ctx.costCategoryIndex) },
    constantCosts: ctx.constantCosts,
    rowMeanings: ctx.rowMeanings,
    start,
  };
}
