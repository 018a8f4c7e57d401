import type { SymmetricCsc } from './symmetric-matrix';

/**
 * Sparse LDLᵀ factorisation (up-looking, after T. A. Davis's LDL): elimination tree and column
 * counts from the pattern, then row-by-row numeric factorisation. L is unit lower triangular,
 * stored by columns with rows ascending; D is diagonal. The matrix is used as given (apply a
 * fill-reducing permutation when building it).
 */
export interface LdlFactor {
  readonly n: number;
  readonly colPtr: Int32Array;
  readonly rowIdx: Int32Array;
  readonly values: Float64Array;
  readonly diag: Float64Array;
}

export class SingularMatrixError extends Error {
  constructor(readonly pivot: number) {
    super(`matrix is singular or not positive definite at pivot ${pivot}`);
  }
}

export function ldlFactor(a: SymmetricCsc, pivotTolerance = 0): LdlFactor {
  const n = a.n;
  const { colPtr: Ap, rowIdx: Ai, values: Ax } = a;
  const parent = new Int32Array(n);
  const flag = new Int32Array(n);
  const lnz = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    parent[k] = -1;
    flag[k] = k;
    for (let p = Ap[k]; p < Ap[k + 1]; p++) {
      let i = Ai[p];
      if (i >= k) continue;
      while (flag[i] !== k) {
        if (parent[i] === -1) parent[i] = k;
        lnz[i]++;
        flag[i] = k;
        i = parent[i];
      }
    }
  }
  const Lp = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) Lp[k + 1] = Lp[k] + lnz[k];
  const nnz = Lp[n];
  const Li = new Int32Array(nnz);
  const Lx = new Float64Array(nnz);
  const D = new Float64Array(n);
  const Y = new Float64Array(n);
  const pattern = new Int32Array(n);
  lnz.fill(0);
  for (let k = 0; k < n; k++) {
    Y[k] = 0;
    let top = n;
    flag[k] = k;
    for (let p = Ap[k]; p < Ap[k + 1]; p++) {
      let i = Ai[p];
      if (i > k) continue;
      Y[i] += Ax[p];
      let len = 0;
      for (; flag[i] !== k; i = parent[i]) {
        pattern[len++] = i;
        flag[i] = k;
      }
      while (len > 0) pattern[--top] = pattern[--len];
    }
    let dk = Y[k];
    Y[k] = 0;
    for (; top < n; top++) {
      const i = pattern[top];
      const yi = Y[i];
      Y[i] = 0;
      const p2 = Lp[i] + lnz[i];
      for (let p = Lp[i]; p < p2; p++) Y[Li[p]] -= Lx[p] * yi;
      const lki = yi / D[i];
      dk -= lki * yi;
      Li[p2] = k;
      Lx[p2] = lki;
      lnz[i]++;
    }
    if (!(dk > pivotTolerance)) throw new SingularMatrixError(k);
    D[k] = dk;
  }
  return { n, colPtr: Lp, rowIdx: Li, values: Lx, diag: D };
}

/** Solves (L D Lᵀ) x = b in place. */
export function ldlSolveInPlace(f: LdlFactor, x: Float64Array): void {
  const { n, colPtr: Lp, rowIdx: Li, values: Lx, diag: D } = f;
  for (let j = 0; j < n; j++) {
    const xj = x[j];
    if (xj !== 0) for (let p = Lp[j]; p < Lp[j + 1]; p++) x[Li[p]] -= Lx[p] * xj;
  }
  for (let j = 0; j < n; j++) x[j] /= D[j];
  for (let j = n - 1; j >= 0; j--) {
    let xj = x[j];
    for (let p = Lp[j]; p < Lp[j + 1]; p++) xj -= Lx[p] * x[Li[p]];
    x[j] = xj;
  }
}

/**
 * wᵀ (L D Lᵀ)⁻¹ w for a sparse w, as ‖D^{-1/2} L⁻¹ w‖²: a forward solve restricted to the
 * elimination-tree ancestors of w's non-zeros (Gilbert–Peierls reach), so its cost follows the
 * reach, not the matrix size. `work` must be a zero vector of length n; it is left zeroed.
 */
export class SparseQuadraticForm {
  private readonly parent: Int32Array;
  private readonly work: Float64Array;
  private readonly mark: Int32Array;
  private stamp = 0;

  constructor(private readonly f: LdlFactor) {
    const n = f.n;
    this.parent = new Int32Array(n);
    for (let j = 0; j < n; j++) this.parent[j] = f.colPtr[j] < f.colPtr[j + 1] ? f.rowIdx[f.colPtr[j]] : -1;
    this.work = new Float64Array(n);
    this.mark = new Int32Array(n).fill(-1);
  }

  evaluate(indices: readonly number[], values: readonly number[]): number {
    const { colPtr: Lp, rowIdx: Li, values: Lx, diag: D } = this.f;
    const x = this.work;
    const stamp = ++this.stamp;
    const reach: number[] = [];
    for (let k = 0; k < indices.length; k++) {
      let i = indices[k];
      x[i] += values[k];
      while (i !== -1 && this.mark[i] !== stamp) {
        this.mark[i] = stamp;
        reach.push(i);
        i = this.parent[i];
      }
    }
    reach.sort((a, b) => a - b);
    let q = 0;
    for (const j of reach) {
      const xj = x[j];
      if (xj !== 0) for (let p = Lp[j]; p < Lp[j + 1]; p++) x[Li[p]] -= Lx[p] * xj;
      q += (xj * xj) / D[j];
    }
    for (const j of reach) x[j] = 0;
    return q;
  }
}
