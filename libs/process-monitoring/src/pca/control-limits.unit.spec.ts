import { fitMonitoringModel } from './fit-monitoring-model';
import { hotellingT2Limit, momentMatchedLimit, speLimitBox, speLimitJacksonMudholkar } from './control-limits';

// Hand-computed data set: x = (1, 2, 3, 4, 5), y = (2, 1, 4, 3, 5). Means 3 and 3, Sxx = Syy = 10,
// Sxy = 8, so r = 0.8, the correlation matrix has eigenvalues 1.8 and 0.2 with loadings (1, ±1)/√2,
// and each standard deviation is √(10/4) = 1.5811388.
const data = { variables: ['x', 'y'], rows: [[1, 2], [2, 1], [3, 4], [4, 3], [5, 5]] };

describe('control limits on a hand-computed data set', () => {
  const model = fitMonitoringModel(data, { componentRule: { kind: 'fixed', components: 1 }, confidence: 0.99, persistence: { kind: 'consecutive', count: 1 } });

  it('finds the eigenvalues 1.8 and 0.2 and the loading (1, 1)/√2', () => {
    expect(model.eigenvalues).toEqual([expect.closeTo(1.8, 12), expect.closeTo(0.2, 12)]);
    expect(model.loadings[0]).toEqual([expect.closeTo(Math.SQRT1_2, 12), expect.closeTo(Math.SQRT1_2, 12)]);
    expect(model.scaling.scale).toEqual([expect.closeTo(1.5811388300841898, 12), expect.closeTo(1.5811388300841898, 12)]);
  });

  it('sets the T² limit to a(N−1)(N+1)/(N(N−a)) F_0.99(1, 4) = 1.2 × 21.19769 = 25.43723', () => {
    // F_0.99(1, 4) = 21.198 (NIST table 1.3.6.7.3)
    expect(model.limits.t2).toBeCloseTo(25.43723, 4);
    expect(hotellingT2Limit(0.99, 1, 5)).toBeCloseTo(1.2 * 21.19769, 4);
  });

  it('sets the Jackson–Mudholkar SPE limit to θ1 (7/9 + z_0.99 √2 / 3)³ with one residual eigenvalue 0.2 (h0 = 1/3)', () => {
    // θ1 = 0.2, θ2 = 0.04, θ3 = 0.008: h0 = 1 − 2·0.2·0.008/(3·0.0016) = 1/3; z_0.99 = 2.3263479
    const handComputed = 0.2 * (7 / 9 + (2.3263479 * Math.SQRT2) / 3) ** 3;
    expect(handComputed).toBeCloseTo(1.3172, 4);
    expect(model.limits.spe).toBeCloseTo(handComputed, 5);
    expect(model.limits.speMethod).toBe('jackson-mudholkar');
  });

  it('sets Box’s SPE limit to g χ²_0.99(h) = 0.2 × 6.634897 with g = θ2/θ1 = 0.2 and h = θ1²/θ2 = 1', () => {
    expect(speLimitBox(0.99, [0.2])).toBeCloseTo(1.3269794, 6);
    const box = fitMonitoringModel(data, { componentRule: { kind: 'fixed', components: 1 }, speMethod: 'box' });
    expect(box.limits).toMatchObject({ spe: expect.closeTo(1.3269794, 6), speMethod: 'box' });
  });

  it('has no SPE limit without residual variance, and no Jackson–Mudholkar limit when h0 ≤ 0', () => {
    expect(speLimitJacksonMudholkar(0.99, [0, 0])).toBe(0);
    // one eigenvalue 1 and a hundred of 0.01: θ1 = 2, θ2 = 1.01, θ3 = 1.0001, so h0 = 1 − 2·2·1.0001/(3·1.0201) < 0
    expect(speLimitJacksonMudholkar(0.99, [1, ...new Array<number>(100).fill(0.01)])).toBeNull();
  });

  it('moment-matches g χ²_h: mean 2 and variance 4 is χ²(2) itself, limit 9.21034 at 99 %', () => {
    expect(momentMatchedLimit(0.99, 2, 4)).toBeCloseTo(9.21034, 5);
  });
});
