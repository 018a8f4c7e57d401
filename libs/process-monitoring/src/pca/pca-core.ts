import { symmetricEigen } from '../linalg/symmetric-eigen';
import { applyScaling, computeScaling, correlationMatrix, type Scaling } from './scaling';

/** Scaling, eigenvalues (descending, ≥ 0) and eigenvectors of the correlation matrix of (lagged) rows. */
export interface PcaCore {
  readonly scaling: Scaling;
  readonly eigenvalues: number[];
  readonly vectors: number[][];
  /** Features that vary in the training data. */
  readonly activeFeatures: number;
}

export function pcaCore(rows: readonly (readonly number[])[], featureCount: number): PcaCore {
  const scaling = computeScaling(rows);
  const scaled = rows.map((r) => applyScaling(scaling, r));
  const { values, vectors } = symmetricEigen(correlationMatrix(scaled, featureCount));
  return { scaling, eigenvalues: values.map((l) => Math.max(0, l)), vectors, activeFeatures: scaling.scale.filter((s) => s > 0).length };
}
