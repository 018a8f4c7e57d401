import type { MonitoringModel } from '../model/monitoring-model.schema';
import { applyScaling } from '../pca/scaling';

/** T², SPE and each feature's share of them for one (lagged) feature vector. */
export interface Projection {
  readonly t2: number;
  readonly spe: number;
  /** Per feature: z_j Σ_k (t_k / λ_k) p_jk (Westerhuis, Gurden & Smilde 2000); they sum to T². */
  readonly t2Contributions: Float64Array;
  /** Per feature: the squared residual e_j²; they sum to SPE. */
  readonly speContributions: Float64Array;
}

/** What a projection needs of a model. */
export type ProjectionModel = Pick<MonitoringModel, 'scaling' | 'components' | 'loadings' | 'eigenvalues'>;

export function project(model: ProjectionModel, features: readonly number[]): Projection {
  const m = features.length;
  const z = applyScaling(model.scaling, features);
  const weights = new Float64Array(m); // Σ_k (t_k / λ_k) p_jk
  const reconstruction = new Float64Array(m); // Σ_k t_k p_jk
  let t2 = 0;
  for (let k = 0; k < model.components; k++) {
    const p = model.loadings[k]!;
    let t = 0;
    for (let j = 0; j < m; j++) t += z[j]! * p[j]!;
    const lambda = model.eigenvalues[k]!;
    t2 += (t * t) / lambda;
    for (let j = 0; j < m; j++) {
      weights[j]! += (t / lambda) * p[j]!;
      reconstruction[j]! += t * p[j]!;
    }
  }
  const t2Contributions = new Float64Array(m);
  const speContributions = new Float64Array(m);
  let spe = 0;
  for (let j = 0; j < m; j++) {
    const e = z[j]! - reconstruction[j]!;
    speContributions[j] = e * e;
    spe += e * e;
    t2Contributions[j] = z[j]! * weights[j]!;
  }
  return { t2, spe, t2Contributions, speContributions };
}
