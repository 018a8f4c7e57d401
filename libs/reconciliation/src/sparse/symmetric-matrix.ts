/**
 * A symmetric sparse matrix assembled from (row, col, value) triplets; duplicates are summed.
 * Stored as full CSC (both triangles, rows sorted within each column) so that orderings can read
 * the adjacency and factorisations can read the lower or upper part.
 */
export interface SymmetricCsc {
  readonly n: number;
  readonly colPtr: Int32Array;
  readonly rowIdx: Int32Array;
  readonly values: Float64Array;
}

export class SymmetricTripletBuilder {
  private rows: number[] = [];
  private cols: number[] = [];
  private vals: number[] = [];

  constructor(readonly n: number) {}

  /** Adds `value` at (i, j) and, when i ≠ j, at (j, i). */
  add(i: number, j: number, value: number): void {
    if (value === 0) return;
    this.rows.push(i);
    this.cols.push(j);
    this.vals.push(value);
    if (i !== j) {
      this.rows.push(j);
      this.cols.push(i);
      this.vals.push(value);
    }
  }

  /** Builds the CSC matrix with rows renumbered by `perm` (newIndex = perm[old]) when given. */
  build(perm?: Int32Array): SymmetricCsc {
    const n = this.n;
    const count = new Int32Array(n + 1);
    const m = this.rows.length;
    const r = new Int32Array(m);
    const c = new Int32Array(m);
    for (let k = 0; k < m; k++) {
      r[k] = perm ? perm[this.rows[k]] : this.rows[k];
      c[k] = perm ? perm[this.cols[k]] : this.cols[k];
      count[c[k] + 1]++;
    }
    for (let j = 0; j < n; j++) count[j + 1] += count[j];
    const next = count.slice(0, n);
    const ri = new Int32Array(m);
    const vv = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      const p = next[c[k]]++;
      ri[p] = r[k];
      vv[p] = this.vals[k];
    }
    // sort rows within each column and merge duplicates
    const colPtr = new Int32Array(n + 1);
    const outRows: number[] = [];
    const outVals: number[] = [];
    const mark = new Int32Array(n).fill(-1);
    const acc = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const seen: number[] = [];
      for (let p = count[j]; p < count[j + 1]; p++) {
        const i = ri[p];
        if (mark[i] !== j) {
          mark[i] = j;
          acc[i] = 0;
          seen.push(i);
        }
        acc[i] += vv[p];
      }
      seen.sort((a, b) => a - b);
      for (const i of seen) {
        outRows.push(i);
        outVals.push(acc[i]);
      }
      colPtr[j + 1] = outRows.length;
    }
    return { n, colPtr, rowIdx: Int32Array.from(outRows), values: Float64Array.from(outVals) };
  }

  /** Adjacency lists of the off-diagonal pattern, in original numbering. */
  adjacency(): number[][] {
    const adj: Set<number>[] = Array.from({ length: this.n }, () => new Set<number>());
    for (let k = 0; k < this.rows.length; k++) {
      const i = this.rows[k];
      const j = this.cols[k];
      if (i !== j) adj[i].add(j);
    }
    return adj.map((s) => [...s]);
  }
}
