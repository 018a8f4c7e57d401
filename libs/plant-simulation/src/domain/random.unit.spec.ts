import { gaussian, uniform } from './random';

describe('counter-based random numbers', () => {
  it('is a pure function of seed, key and index', () => {
    expect(uniform(1, 'FI-1', 12345)).toBe(uniform(1, 'FI-1', 12345));
    expect(uniform(1, 'FI-1', 12345)).not.toBe(uniform(2, 'FI-1', 12345));
    expect(uniform(1, 'FI-1', 12345)).not.toBe(uniform(1, 'FI-2', 12345));
    expect(uniform(1, 'FI-1', 1_767_571_200_000)).not.toBe(uniform(1, 'FI-1', 1_767_571_200_000 + 2 ** 32));
  });

  it('draws uniform numbers in (0, 1) and standard normal numbers', () => {
    const u = Array.from({ length: 20_000 }, (_, i) => uniform(9, 'u', i));
    expect(Math.min(...u)).toBeGreaterThan(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(u.reduce((a, b) => a + b, 0) / u.length).toBeCloseTo(0.5, 2);
    const g = Array.from({ length: 20_000 }, (_, i) => gaussian(9, 'g', i));
    const mean = g.reduce((a, b) => a + b, 0) / g.length;
    const variance = g.reduce((a, b) => a + (b - mean) ** 2, 0) / (g.length - 1);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(variance).toBeGreaterThan(0.96);
    expect(variance).toBeLessThan(1.04);
    expect(g.filter((x) => Math.abs(x) > 3).length / g.length).toBeLessThan(0.005);
  });
});
