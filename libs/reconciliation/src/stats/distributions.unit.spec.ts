import { chiSquareCdf, chiSquareQuantile, chiSquareSurvival } from './chi-square';
import { logGamma } from './gamma';
import { normalCdf, normalQuantile } from './normal';

// Reference values: Abramowitz & Stegun tables 26.1 and 26.8; NIST/SEMATECH e-Handbook 1.3.6.7.4.
describe('normal distribution', () => {
  it.each([
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489004],
    [0.95, 1.6448536269514722],
    [0.5, 0],
    [0.001, -3.090232306167813],
    [1e-10, -6.361340902404056],
  ])('quantile of %p is %p', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 10);
  });

  it('CDF inverts the quantile and matches Φ(1) = 0.8413447460685429', () => {
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 14);
    for (const p of [1e-8, 0.01, 0.3, 0.77, 0.999999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 12);
  });

  it('rejects probabilities outside (0, 1)', () => {
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
  });
});

describe('chi-square distribution', () => {
  it.each([
    [0.95, 1, 3.841458820694124],
    [0.95, 2, 5.991464547107979],
    [0.95, 3, 7.814727903251179],
    [0.95, 10, 18.307038053275146],
    [0.99, 5, 15.08627246938899],
    [0.05, 4, 0.7107230213973241],
    [0.95, 100, 124.34211340400407],
    [0.999, 1, 10.827566170662733],
  ])('quantile %p with %p degrees of freedom is %p', (p, k, x) => {
    expect(chiSquareQuantile(p, k)).toBeCloseTo(x, 8);
  });

  it('CDF and survival function are complementary and accurate in the far tail', () => {
    expect(chiSquareCdf(3.841458820694124, 1)).toBeCloseTo(0.95, 12);
    expect(chiSquareSurvival(50, 2)).toBeCloseTo(Math.exp(-25), 20);
    expect(chiSquareCdf(7, 6) + chiSquareSurvival(7, 6)).toBeCloseTo(1, 14);
  });

  it('log-gamma matches exact values', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
  });
});
