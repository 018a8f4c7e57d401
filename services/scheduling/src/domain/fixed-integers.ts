import type { LinearModel } from '@reflux/optimization';

/** The LP left when every integer column is fixed at its (rounded) value in `values`: its duals price the continuous decisions. */
export function fixIntegers(model: LinearModel, values: Float64Array): LinearModel {
  const lower = Float64Array.from(model.columns.lower);
  const upper = Float64Array.from(model.columns.upper);
  model.columns.integer.forEach((isInt, j) => {
    if (!isInt) return;
    const v = Math.round(values[j]);
    lower[j] = v;
    upper[j] = v;
  });
  return { ...model, name: `${model.name} (integers fixed)`, columns: { ...model.columns, lower, upper, integer: new Uint8Array(model.columns.integer.length) } };
}
