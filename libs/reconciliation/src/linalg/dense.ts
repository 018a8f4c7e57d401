/** Small dense linear algebra (row-major number[][]) for the nonlinear reconciliation, which is
 * used on unit- or area-sized energy and component networks (tens to a few hundred variables). */
export type Dense = number[][];

export function zeros(m: number, n: number): Dense {
  return Array.from({ length: m }, () => new Array<number>(n).fill(0));
}

export function transpose(a: Dense, cols = a[0]?.length ?? 0): Dense {
  const t = zeros(cols, a.length);
  for (let i = 0; i < a.length; i++) for (let j = 0; j < cols; j++) t[j][i] = a[i][j];
  return t;
}

export function multiply(a: Dense, b: Dense, inner = b.length, cols = b[0]?.length ?? 0): Dense {
  const c = zeros(a.length, cols);
  for (let i = 0; i < a.length; i++) {
    for (let k = 0; k < inner; k++) {
      const aik = a[i][k];
      if (aik === 0) continue;
      for (let j = 0; j < cols; j++) c[i][j] += aik * b[k][j];
    }
  }
  return c;
}

export function multiplyVector(a: Dense, x: readonly number[]): number[] {
  return a.map((row) => row.reduce((s, v, j) => s + v * x[j], 0));
}

/**
 * Householder QR with column pivoting: A Π = Q R. Returns the explicit orthogonal Q (m×m), R
 * (m×n, upper trapezoidal), the column permutation and the numerical rank (|R_kk| > tol·|R_00|).
 */
export function qrColumnPivoting(a: Dense, m: number, n: number, relTol = 1e-10): { q: Dense; r: Dense; perm: number[]; rank: number } {
  const r = a.map((row) => [...row]);
  const q = zeros(m, m);
  for (let i = 0; i < m; i++) q[i][i] = 1;
  const perm = Array.from({ length: n }, (_, j) => j);
  const norms = Array.from({ length: n }, (_, j) => r.reduce((s, row) => s + row[j] * row[j], 0));
  let rank = 0;
  let first = 0;
  const steps = Math.min(m, n);
  for (let k = 0; k < steps; k++) {
    let p = k;
    for (let j = k + 1; j < n; j++) if (norms[j] > norms[p]) p = j;
    if (p !== k) {
      for (const row of r) [row[k], row[p]] = [row[p], row[k]];
      [norms[k], norms[p]] = [norms[p], norms[k]];
      [perm[k], perm[p]] = [perm[p], perm[k]];
    }
    let alpha = 0;
    for (let i = k; i < m; i++) alpha += r[i][k] * r[i][k];
    alpha = Math.sqrt(alpha);
    if (k === 0) first = alpha;
    if (alpha <= relTol * Math.max(first, 1e-300)) break;
    rank++;
    const v = new Array<number>(m).fill(0);
    const sign = r[k][k] >= 0 ? 1 : -1;
    for (let i = k; i < m; i++) v[i] = r[i][k];
    v[k] += sign * alpha;
    let vv = 0;
    for (let i = k; i < m; i++) vv += v[i] * v[i];
    if (vv === 0) continue;
    for (let j = k; j < n; j++) {
      let s = 0;
      for (let i = k; i < m; i++) s += v[i] * r[i][j];
      const f = (2 * s) / vv;
      for (let i = k; i < m; i++) r[i][j] -= f * v[i];
    }
    // Q ← Q H
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let l = k; l < m; l++) s += q[i][l] * v[l];
      const f = (2 * s) / vv;
      for (let l = k; l < m; l++) q[i][l] -= f * v[l];
    }
    for (let j = k + 1; j < n; j++) norms[j] -= r[k][j] * r[k][j];
  }
  return { q, r, perm, rank };
}

/** Solves the upper-triangular system R[0..k) x = b. */
export function backSubstitute(r: Dense, b: readonly number[], k: number): number[] {
  const x = new Array<number>(k).fill(0);
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < k; j++) s -= r[i][j] * x[j];
    x[i] = s / r[i][i];
  }
  return x;
}

/** Cholesky-based inverse of a symmetric positive-definite matrix; null if not positive definite. */
export function spdInverse(a: Dense): Dense | null {
  const n = a.length;
  const l = zeros(n, n);
  for (let j = 0; j < n; j++) {
    let d = a[j][j];
    for (let k = 0; k < j; k++) d -= l[j][k] * l[j][k];
    if (!(d > 0)) return null;
    l[j][j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = s / l[j][j];
    }
  }
  const inv = zeros(n, n);
  for (let c = 0; c < n; c++) {
    const y = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      let s = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= l[i][k] * y[k];
      y[i] = s / l[i][i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < n; k++) s -= l[k][i] * inv[k][c];
      inv[i][c] = s / l[i][i];
    }
  }
  return inv;
}
