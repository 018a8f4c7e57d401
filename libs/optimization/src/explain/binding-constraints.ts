import { rowActivities, type LinearModel } from '../model/linear-model';
import type { SolveResult } from '../solve.types';

export interface BindingConstraint {
  readonly name: string;
  readonly index: number;
  readonly activity: number;
  readonly bound: 'lower' | 'upper' | 'equality';
  readonly boundValue: number;
  /** Change of the objective per unit increase of the bound (the row dual), objective units per row unit. */
  readonly shadowPrice: number;
}

/**
 * Rows at one of their bounds with a non-zero shadow price, largest |price| first. Needs the duals
 * of an optimal LP (for a MILP, solve the LP with the integers fixed first).
 */
export function bindingConstraints(model: LinearModel, result: SolveResult, options: { tolerance?: number; minAbsPrice?: number } = {}): BindingConstraint[] {
  if (!result.duals || !result.hasSolution) return [];
  const tol = options.tolerance ?? 1e-6;
  const minPrice = options.minAbsPrice ?? 1e-9;
  const activity = rowActivities(model, result.values);
  const out: BindingConstraint[] = [];
  for (let i = 0; i < activity.length; i++) {
    const price = result.duals[i];
    if (Math.abs(price) <= minPrice) continue;
    const lo = model.rows.lower[i];
    const hi = model.rows.upper[i];
    const near = (b: number): boolean => Math.abs(activity[i] - b) <= tol * Math.max(1, Math.abs(b));
    const bound = lo === hi ? 'equality' : near(hi) ? 'upper' : near(lo) ? 'lower' : undefined;
    if (!bound) continue;
    out.push({ name: model.rows.names[i], index: i, activity: activity[i], bound, boundValue: bound === 'lower' ? lo : hi, shadowPrice: price });
  }
  return out.sort((a, b) => Math.abs(b.shadowPrice) - Math.abs(a.shadowPrice));
}
