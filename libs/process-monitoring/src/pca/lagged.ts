/**
 * Dynamic PCA (Ku, Storer & Georgakis 1995) augments each sample with its L predecessors:
 * row t becomes [x(t), x(t−1), …, x(t−L)]. Feature k·n + j is variable j lagged by k samples.
 */
export function laggedRows(rows: readonly (readonly number[])[], lags: number): number[][] {
  const out: number[][] = [];
  for (let t = lags; t < rows.length; t++) {
    const row: number[] = [];
    for (let k = 0; k <= lags; k++) row.push(...rows[t - k]!);
    out.push(row);
  }
  return out;
}

/** Feature names in the order of `laggedRows`: `TI-101`, then `TI-101[t-1]`, … */
export function laggedFeatureNames(variables: readonly string[], lags: number): string[] {
  const names: string[] = [];
  for (let k = 0; k <= lags; k++) for (const v of variables) names.push(k === 0 ? v : `${v}[t-${k}]`);
  return names;
}
