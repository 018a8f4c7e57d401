import { ldlFactor, ldlSolveInPlace, SingularMatrixError } from './ldl';
import { minimumDegreeOrdering } from './minimum-degree';
import { SelectedInverse } from './selected-inverse';
import { SymmetricTripletBuilder } from './symmetric-matrix';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random sparse SPD matrix: a weighted graph Laplacian plus a positive diagonal. */
function randomSpd(n: number, rand: () => number): { builder: SymmetricTripletBuilder; dense: number[][] } {
  const builder = new SymmetricTripletBuilder(n);
  const dense = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const add = (i: number, j: number, v: number): void => {
    builder.add(i, j, v);
    dense[i][j] += v;
    if (i !== j) dense[j][i] += v;
  };
  for (let i = 0; i < n; i++) add(i, i, 0.5 + rand());
  for (let k = 0; k < 2 * n; k++) {
    const i = Math.floor(rand() * n);
    const j = Math.min(n - 1, i + 1 + Math.floor(rand() * 4));
    if (i === j) continue;
    const w = 0.1 + rand();
    add(i, i, w);
    add(j, j, w);
    add(i, j, -w);
  }
  return { builder, dense };
}

function denseInverse(a: number[][]): number[][] {
  const n = a.length;
  const w = a.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    const d = w[c][c];
    for (let j = 0; j < 2 * n; j++) w[c][j] /= d;
    for (let r = 0; r < n; r++) if (r !== c) {
      const f = w[r][c];
      for (let j = 0; j < 2 * n; j++) w[r][j] -= f * w[c][j];
    }
  }
  return w.map((row) => row.slice(n));
}

describe('sparse LDLᵀ', () => {
  it('solves a permuted sparse SPD system to machine precision', () => {
    const rand = seeded(7);
    const n = 60;
    const { builder, dense } = randomSpd(n, rand);
    const { perm } = minimumDegreeOrdering(builder.adjacency());
    const f = ldlFactor(builder.build(perm));
    const b = Array.from({ length: n }, () => rand() - 0.5);
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[perm[i]] = b[i];
    ldlSolveInPlace(f, x);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += dense[i][j] * x[perm[j]];
      expect(s).toBeCloseTo(b[i], 10);
    }
  });

  it('selected inverse equals the dense inverse on the factor pattern', () => {
    const rand = seeded(11);
    const n = 40;
    const { builder, dense } = randomSpd(n, rand);
    const { perm } = minimumDegreeOrdering(builder.adjacency());
    const f = ldlFactor(builder.build(perm));
    const z = new SelectedInverse(f);
    const inv = denseInverse(dense);
    for (let i = 0; i < n; i++) expect(z.get(perm[i], perm[i])).toBeCloseTo(inv[i][i], 10);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      if (i === j || dense[i][j] === 0) continue;
      expect(z.get(perm[i], perm[j])).toBeCloseTo(inv[i][j], 10);
    }
  });

  it('minimum degree keeps a star (arrow) matrix free of fill by eliminating the leaves first', () => {
    const n = 50;
    const builder = new SymmetricTripletBuilder(n);
    for (let i = 0; i < n; i++) builder.add(i, i, n + 1);
    for (let i = 1; i < n; i++) builder.add(0, i, -1);
    const { perm } = minimumDegreeOrdering(builder.adjacency());
    expect(perm[0]).toBeGreaterThanOrEqual(n - 2);
    const f = ldlFactor(builder.build(perm));
    expect(f.colPtr[n]).toBe(n - 1);
  });

  it('reports a singular matrix at its pivot', () => {
    const b = new SymmetricTripletBuilder(2);
    b.add(0, 0, 1);
    b.add(1, 1, 1);
    b.add(0, 1, 1);
    expect(() => ldlFactor(b.build(), 1e-12)).toThrow(SingularMatrixError);
  });
});
