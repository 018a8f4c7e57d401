import type { LdlFactor } from './ldl';

/**
 * Entries of A⁻¹ on the pattern of L + Lᵀ + I (Takahashi–Fagan–Chen recurrences), for an
 * A = L D Lᵀ factor. Enough for the variances of anything whose covariance involves pairs of rows
 * that share a column of A, because every off-diagonal entry of A lies in the filled pattern.
 *
 *   Z_jj = 1/D_j − Σ_{k ∈ L(:,j)} L_kj Z_kj,   Z_ij = − Σ_{k ∈ L(:,j)} L_kj Z_ik   (i ∈ L(:,j))
 */
export class SelectedInverse {
  readonly diag: Float64Array;
  private readonly offDiag: Float64Array;

  constructor(private readonly f: LdlFactor) {
    const { n, colPtr: Lp, rowIdx: Li, values: Lx, diag: D } = f;
    const Z = new Float64Array(Lx.length);
    const Zd = new Float64Array(n);
    this.diag = Zd;
    this.offDiag = Z;
    for (let j = n - 1; j >= 0; j--) {
      const start = Lp[j];
      const end = Lp[j + 1];
      for (let p = start; p < end; p++) {
        const i = Li[p];
        let s = 0;
        for (let q = start; q < end; q++) {
          const k = Li[q];
          s += Lx[q] * (k === i ? Zd[i] : this.get(i, k));
        }
        Z[p] = -s;
      }
      let d = 1 / D[j];
      for (let p = start; p < end; p++) d -= Lx[p] * Z[p];
      Zd[j] = d;
    }
  }

  /** (A⁻¹)_ij; throws if (i, j) lies outside the filled pattern. */
  get(i: number, j: number): number {
    if (i === j) return this.diag[i];
    const row = i > j ? i : j;
    const col = i > j ? j : i;
    const { colPtr: Lp, rowIdx: Li } = this.f;
    let lo = Lp[col];
    let hi = Lp[col + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = Li[mid];
      if (r === row) return this.offDiag[mid];
      if (r < row) lo = mid + 1;
      else hi = mid - 1;
    }
    throw new RangeError(`selected inverse: entry (${i}, ${j}) lies outside the factor pattern`);
  }
}
