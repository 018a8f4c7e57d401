import { SeededRandom } from '@reflux/reconciliation';
import { symmetricEigen } from '../linalg/symmetric-eigen';
import { correlationMatrix } from './scaling';

/** How many principal components a model keeps. */
export type ComponentRule =
  | { readonly kind: 'cumulative-variance'; readonly percent: number }
  | { readonly kind: 'kaiser' }
  | { readonly kind: 'parallel-analysis'; readonly datasets: number; readonly percentile: number; readonly seed: number }
  | { readonly kind: 'fixed'; readonly components: number };

export const DEFAULT_COMPONENT_RULE: ComponentRule = { kind: 'cumulative-variance', percent: 90 };

/**
 * Applies the rule to the eigenvalues (descending) of the training correlation matrix; `features`
 * counts the non-constant features, `samples` the training rows. The answer is clamped to
 * [1, features − 1] so a residual space (SPE) always remains.
 * - cumulative-variance: the fewest components explaining at least `percent` % of the variance;
 * - kaiser: eigenvalues above 1 (the average of a correlation matrix; Kaiser 1960);
 * - parallel-analysis (Horn 1965): eigenvalues above the `percentile` of the same-rank eigenvalues of
 *   `datasets` uncorrelated normal data sets of the same size (seeded, so the fit is deterministic).
 */
export function chooseComponents(rule: ComponentRule, eigenvalues: readonly number[], features: number, samples: number): number {
  const clamp = (a: number) => Math.max(1, Math.min(features - 1, a));
  switch (rule.kind) {
    case 'fixed':
      return clamp(rule.components);
    case 'kaiser':
      return clamp(eigenvalues.filter((l) => l > 1).length);
    case 'cumulative-variance': {
      const total = eigenvalues.reduce((s, l) => s + Math.max(0, l), 0);
      let sum = 0;
      for (let a = 0; a < eigenvalues.length; a++) {
        sum += Math.max(0, eigenvalues[a]!);
        if (sum >= (rule.percent / 100) * total * (1 - 1e-12)) return clamp(a + 1);
      }
      return clamp(eigenvalues.length);
    }
    case 'parallel-analysis': {
      const reference = parallelAnalysisThresholds(features, samples, rule.datasets, rule.percentile, rule.seed);
      let a = 0;
      while (a < features && eigenvalues[a]! > reference[a]!) a++;
      return clamp(a);
    }
    default: {
      const never: never = rule;
      throw new Error(`unknown component rule ${JSON.stringify(never)}`);
    }
  }
}

/** Per rank, the `percentile` of correlation-matrix eigenvalues of `datasets` random N×m normal data sets. */
export function parallelAnalysisThresholds(features: number, samples: number, datasets: number, percentile: number, seed: number): number[] {
  const rng = new SeededRandom(seed);
  const byRank: number[][] = Array.from({ length: features }, () => []);
  for (let d = 0; d < datasets; d++) {
    const rows = Array.from({ length: samples }, () => Float64Array.from({ length: features }, () => rng.normal()));
    const mean = new Float64Array(features);
    for (const r of rows) for (let j = 0; j < features; j++) mean[j]! += r[j]! / samples;
    const sd = new Float64Array(features);
    for (const r of rows) for (let j = 0; j < features; j++) sd[j]! += (r[j]! - mean[j]!) ** 2 / (samples - 1);
    for (const r of rows) for (let j = 0; j < features; j++) r[j] = (r[j]! - mean[j]!) / Math.sqrt(sd[j]!);
    symmetricEigen(correlationMatrix(rows, features)).values.forEach((l, k) => byRank[k]!.push(l));
  }
  return byRank.map((values) => {
    const sorted = [...values].sort((x, y) => x - y);
    const pos = (percentile / 100) * (sorted.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
  });
}
