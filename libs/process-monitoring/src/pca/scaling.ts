/** Mean-centring and scaling to unit variance, with constant features marked (scale 0). */
export interface Scaling {
  readonly mean: number[];
  /** Sample standard deviation (N − 1); 0 marks a feature constant in training, excluded from the model. */
  readonly scale: number[];
}

/** A feature is constant when its standard deviation is below this share of max(1, |mean|). */
export const CONSTANT_RELATIVE_STD = 1e-10;

export function computeScaling(rows: readonly (readonly number[])[]): Scaling {
  const n = rows.length;
  const m = rows[0]?.length ?? 0;
  const mean = new Array<number>(m).fill(0);
  for (const row of rows) for (let j = 0; j < m; j++) mean[j]! += row[j]! / n;
  const variance = new Array<number>(m).fill(0);
  for (const row of rows) for (let j = 0; j < m; j++) variance[j]! += (row[j]! - mean[j]!) ** 2 / (n - 1);
  const scale = variance.map((v, j) => {
    const sd = Math.sqrt(v);
    return sd <= CONSTANT_RELATIVE_STD * Math.max(1, Math.abs(mean[j]!)) ? 0 : sd;
  });
  return { mean, scale };
}

/** z_j = (x_j − mean_j) / scale_j; a constant feature maps to 0 whatever its value. */
export function applyScaling(scaling: Scaling, x: readonly number[], out: Float64Array = new Float64Array(x.length)): Float64Array {
  for (let j = 0; j < x.length; j++) {
    const s = scaling.scale[j]!;
    out[j] = s === 0 ? 0 : (x[j]! - scaling.mean[j]!) / s;
  }
  return out;
}

/** Correlation matrix of the scaled training rows: ZᵀZ / (N − 1). */
export function correlationMatrix(scaled: readonly Float64Array[], m: number): number[][] {
  const c = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  const n = scaled.length;
  for (const z of scaled) {
    for (let i = 0; i < m; i++) {
      const zi = z[i]!;
      if (zi === 0) continue;
      const row = c[i]!;
      for (let j = i; j < m; j++) row[j]! += zi * z[j]!;
    }
  }
  for (let i = 0; i < m; i++) for (let j = i; j < m; j++) c[i]![j] = c[j]![i] = c[i]![j]! / (n - 1);
  return c;
}
