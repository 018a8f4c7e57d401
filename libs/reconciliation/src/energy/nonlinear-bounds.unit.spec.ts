import { reconcileNonlinear, type NonlinearVariable } from './nonlinear-reconcile';

/** A mixer: F1 + F2 = F3 and F1·w1 + F2·w2 = F3·w3 (variables F1, F2, F3, w1, w2, w3). */
const mixer = {
  ids: ['mass', 'component'],
  evaluate: ([F1, F2, F3, w1, w2, w3]: readonly number[]) => [F1 + F2 - F3, F1 * w1 + F2 * w2 - F3 * w3],
  jacobian: ([F1, F2, F3, w1, w2, w3]: readonly number[]) => [
    [1, 1, -1, 0, 0, 0],
    [w1, w2, -w3, F1, F2, -F3],
  ],
};

const variables = (fractionBounds: boolean, w3: number): NonlinearVariable[] => {
  const bounds = fractionBounds ? { lower: 0, upper: 1 } : {};
  return [
    { id: 'F1', measured: true, value: 10, sigma: 0.1 },
    { id: 'F2', measured: true, value: 10, sigma: 0.1 },
    { id: 'F3', measured: true, value: 20, sigma: 0.1 },
    { id: 'w1', measured: true, value: 0.98, sigma: 0.002, ...bounds },
    { id: 'w2', measured: false, initial: 0.9, ...bounds },
    { id: 'w3', measured: true, value: w3, sigma: 0.002, ...bounds },
  ];
};

describe('bounds in the bilinear reconciliation', () => {
  it('without bounds, estimates an unmeasured mass fraction above 1 when the analysers say so', () => {
    const r = reconcileNonlinear(variables(false, 1.0), mixer);
    expect(r.variables[4].reconciled).toBeCloseTo(1.02, 6);
  });

  it('holds a mass fraction at 1 and moves the measurements instead, the balances still closing', () => {
    const r = reconcileNonlinear(variables(true, 1.0), mixer);
    expect(r.variables[4].reconciled).toBe(1);
    expect(r.activeBounds).toEqual(['w2']);
    expect(Math.max(...mixer.evaluate(r.variables.map((v) => v.reconciled!)).map(Math.abs))).toBeLessThan(1e-9);
    for (const v of r.variables.filter((x) => x.id.startsWith('w'))) {
      expect(v.reconciled!).toBeGreaterThanOrEqual(0);
      expect(v.reconciled!).toBeLessThanOrEqual(1);
    }
    // w1 and w3 absorb the difference: w3 pulled below 1, w1 up
    expect(r.variables[5].reconciled!).toBeLessThan(1);
    expect(r.variables[3].reconciled!).toBeGreaterThan(0.98);
  });

  it('keeps a measured fraction read above 1 (analyser noise on a pure stream) at 1', () => {
    const r = reconcileNonlinear(
      [
        { id: 'F1', measured: true, value: 10, sigma: 0.1 },
        { id: 'F2', measured: true, value: 10, sigma: 0.1 },
        { id: 'F3', measured: true, value: 20, sigma: 0.1 },
        { id: 'w1', measured: true, value: 1.004, sigma: 0.002, lower: 0, upper: 1 },
        { id: 'w2', measured: true, value: 1.003, sigma: 0.002, lower: 0, upper: 1 },
        { id: 'w3', measured: false, initial: 1, lower: 0, upper: 1 },
      ],
      mixer,
    );
    expect(r.variables.slice(3).map((v) => v.reconciled)).toEqual([1, 1, 1]);
    expect(r.activeBounds).toEqual(expect.arrayContaining(['w1', 'w2']));
  });
});
