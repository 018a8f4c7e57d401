import { chooseComponents, parallelAnalysisThresholds } from './component-rule';

const eigenvalues = [4.0, 2.5, 1.2, 0.9, 0.6, 0.4, 0.2, 0.1, 0.06, 0.04]; // sum 10

describe('chooseComponents', () => {
  it('keeps the fewest components reaching the cumulative variance: 65 % → 2, 77 % → 3, 90 % → 5', () => {
    expect(chooseComponents({ kind: 'cumulative-variance', percent: 65 }, eigenvalues, 10, 100)).toBe(2);
    expect(chooseComponents({ kind: 'cumulative-variance', percent: 77 }, eigenvalues, 10, 100)).toBe(3);
    expect(chooseComponents({ kind: 'cumulative-variance', percent: 90 }, eigenvalues, 10, 100)).toBe(5);
  });

  it('keeps the eigenvalues above 1 under Kaiser’s rule', () => {
    expect(chooseComponents({ kind: 'kaiser' }, eigenvalues, 10, 100)).toBe(3);
  });

  it('always leaves a residual space and keeps at least one component', () => {
    expect(chooseComponents({ kind: 'cumulative-variance', percent: 100 }, eigenvalues, 10, 100)).toBe(9);
    expect(chooseComponents({ kind: 'fixed', components: 40 }, eigenvalues, 10, 100)).toBe(9);
    expect(chooseComponents({ kind: 'kaiser' }, [0.9, 0.8, 0.3], 3, 100)).toBe(1);
  });

  it('parallel analysis: random eigenvalues of 10 variables × 100 samples start near (1 + √0.1)² ≈ 1.73 (Marchenko–Pastur edge) and keep the first two', () => {
    const thresholds = parallelAnalysisThresholds(10, 100, 30, 95, 1);
    expect(thresholds[0]).toBeGreaterThan(1.4);
    expect(thresholds[0]).toBeLessThan(2.1);
    expect(chooseComponents({ kind: 'parallel-analysis', datasets: 30, percentile: 95, seed: 1 }, eigenvalues, 10, 100)).toBe(2);
  });
});
