import { SeededRandom } from '@reflux/reconciliation';
import { symmetricEigen } from './symmetric-eigen';

describe('symmetricEigen', () => {
  it('finds the eigenvalues 3 and 1 of [[2, 1], [1, 2]] with vectors (1, 1)/√2 and (1, −1)/√2', () => {
    const { values, vectors } = symmetricEigen([[2, 1], [1, 2]]);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    expect(Math.abs(vectors[0]![0]!)).toBeCloseTo(Math.SQRT1_2, 14);
    expect(vectors[0]![0]! * vectors[0]![1]!).toBeCloseTo(0.5, 14);
    expect(vectors[1]![0]! * vectors[1]![1]!).toBeCloseTo(-0.5, 14);
  });

  it('returns the published eigenvalues 2 − √2, 2, 2 + √2 of the 3×3 second-difference matrix', () => {
    const { values } = symmetricEigen([[2, -1, 0], [-1, 2, -1], [0, -1, 2]]);
    expect(values).toEqual([expect.closeTo(2 + Math.SQRT2, 13), expect.closeTo(2, 13), expect.closeTo(2 - Math.SQRT2, 13)]);
  });

  it('reconstructs a random 40×40 symmetric matrix as V Λ Vᵀ with orthonormal V', () => {
    const rng = new SeededRandom(7);
    const n = 40;
    const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) m[i]![j] = m[j]![i] = rng.normal();
    const { values, vectors } = symmetricEigen(m);
    for (let k = 1; k < n; k++) expect(values[k]!).toBeLessThanOrEqual(values[k - 1]!);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let rebuilt = 0;
        let gram = 0;
        for (let k = 0; k < n; k++) {
          rebuilt += values[k]! * vectors[k]![i]! * vectors[k]![j]!;
          gram += vectors[i]![k]! * vectors[j]![k]!;
        }
        expect(rebuilt).toBeCloseTo(m[i]![j]!, 11);
        expect(gram).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
  });

  it('rejects a matrix that is not square', () => {
    expect(() => symmetricEigen([[1, 2], [3]])).toThrow(RangeError);
  });
});
