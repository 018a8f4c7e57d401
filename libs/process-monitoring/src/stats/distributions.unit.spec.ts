import { regularizedBeta } from './beta';
import { fCdf, fQuantile, fSurvival } from './f-distribution';

// Upper critical values of the F distribution: NIST/SEMATECH e-Handbook of Statistical Methods,
// section 1.3.6.7.3 (printed to 3 decimals), and Abramowitz & Stegun table 26.9.
describe('F distribution', () => {
  it.each([
    [0.95, 1, 10, 4.965],
    [0.95, 5, 10, 3.326],
    [0.99, 3, 20, 4.938],
    [0.99, 10, 100, 2.503],
    [0.95, 1, 1, 161.448],
    [0.999, 4, 30, 6.125],
  ])('quantile %p with (%p, %p) degrees of freedom is %p as tabulated', (p, d1, d2, x) => {
    expect(fQuantile(p, d1, d2)).toBeCloseTo(x, 3);
  });

  it('quantile and CDF are inverse to 1e-10 over a grid of degrees of freedom', () => {
    for (const [d1, d2] of [[1, 1], [2, 497], [16, 482], [50, 3], [0.5, 7.5]]) {
      for (const p of [0.01, 0.5, 0.95, 0.99, 0.9999]) expect(fCdf(fQuantile(p, d1!, d2!), d1!, d2!)).toBeCloseTo(p, 10);
    }
  });

  it('CDF and survival are complementary, and F(1, d2) is the square of Student t', () => {
    expect(fCdf(2, 3, 7) + fSurvival(2, 3, 7)).toBeCloseTo(1, 14);
    expect(fCdf(2, 3, 7)).toBeCloseTo(0.7973063575133491, 12);
    // t_{0.975, 10} = 2.228138851986274, so F_{0.95}(1, 10) = t²
    expect(fQuantile(0.95, 1, 10)).toBeCloseTo(2.228138851986274 ** 2, 10);
  });

  it('rejects probabilities outside [0, 1) and non-positive degrees of freedom', () => {
    expect(() => fQuantile(1, 2, 3)).toThrow(RangeError);
    expect(() => fQuantile(0.5, 0, 3)).toThrow(RangeError);
  });
});

describe('regularised incomplete beta', () => {
  it('matches closed forms: I_x(1, 1) = x, I_x(a, 1) = x^a, I_x(1, b) = 1 − (1 − x)^b', () => {
    expect(regularizedBeta(0.37, 1, 1)).toBeCloseTo(0.37, 14);
    expect(regularizedBeta(0.6, 3.5, 1)).toBeCloseTo(0.6 ** 3.5, 14);
    expect(regularizedBeta(0.2, 1, 4)).toBeCloseTo(1 - 0.8 ** 4, 14);
  });

  it('matches I_0.3(2.5, 4) = 0.3521975859067672 and the symmetry I_x(a, b) = 1 − I_{1−x}(b, a)', () => {
    expect(regularizedBeta(0.3, 2.5, 4)).toBeCloseTo(0.3521975859067672, 12);
    expect(regularizedBeta(0.3, 2.5, 4) + regularizedBeta(0.7, 4, 2.5)).toBeCloseTo(1, 14);
  });
});
