/** Eigen-decomposition of a real symmetric matrix: values in descending order, vectors[k] the unit
 * eigenvector of values[k] (sign fixed so its largest-magnitude entry is positive, for determinism). */
export interface SymmetricEigen {
  readonly values: number[];
  readonly vectors: number[][];
}

/**
 * Cyclic Jacobi rotations (Golub & Van Loan §8.5, with Rutishauser's stable rotation formulas) until
 * the off-diagonal mass is below 1e-15 of the Frobenius norm. Exact to rounding for the tens to a few
 * hundred variables of a monitoring model; O(n³) per sweep, usually 6–10 sweeps.
 */
export function symmetricEigen(matrix: readonly (readonly number[])[]): SymmetricEigen {
  const n = matrix.length;
  const a = matrix.map((row, i) => {
    if (row.length !== n) throw new RangeError(`symmetricEigen: row ${i} has ${row.length} entries, expected ${n}`);
    return Float64Array.from(row);
  });
  const v = Array.from({ length: n }, (_, i) => {
    const r = new Float64Array(n);
    r[i] = 1;
    return r;
  });
  let frobenius = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) frobenius += a[i]![j]! ** 2;
  const tolerance = 1e-30 * frobenius;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += 2 * a[i]![j]! ** 2;
    if (off <= tolerance) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (apq === 0) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        rotate(a, v, p, q, c, s, n);
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y]![y]! - a[x]![x]! || x - y);
  const values = order.map((k) => a[k]![k]!);
  const vectors = order.map((k) => {
    const vec = Array.from({ length: n }, (_, i) => v[i]![k]!);
    let big = 0;
    for (const x of vec) if (Math.abs(x) > Math.abs(big) + 1e-12) big = x;
    return big < 0 ? vec.map((x) => -x) : vec;
  });
  return { values, vectors };
}

// A ← Jᵀ A J and V ← V J for the rotation J in the (p, q) plane.
function rotate(a: Float64Array[], v: Float64Array[], p: number, q: number, c: number, s: number, n: number): void {
  const ap = a[p]!;
  const aq = a[q]!;
  for (let k = 0; k < n; k++) {
    const akp = ap[k]!;
    const akq = aq[k]!;
    ap[k] = c * akp - s * akq;
    aq[k] = s * akp + c * akq;
  }
  for (let k = 0; k < n; k++) {
    const row = a[k]!;
    const akp = row[p]!;
    const akq = row[q]!;
    row[p] = c * akp - s * akq;
    row[q] = s * akp + c * akq;
  }
  for (let k = 0; k < n; k++) {
    const row = v[k]!;
    const vkp = row[p]!;
    const vkq = row[q]!;
    row[p] = c * vkp - s * vkq;
    row[q] = s * vkp + c * vkq;
  }
}
