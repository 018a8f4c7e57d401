import { redisBackoffMs } from './redis.backoff';

describe('redisBackoffMs', () => {
  it('doubles from the minimum and stays within the upper half of each step', () => {
    expect([1, 2, 3, 4].map((n) => redisBackoffMs(n, 50, 5_000, () => 0))).toEqual([25, 50, 100, 200]);
    expect([1, 2, 3, 4].map((n) => redisBackoffMs(n, 50, 5_000, () => 1))).toEqual([50, 100, 200, 400]);
  });

  it('is capped at the maximum, even after very many attempts', () => {
    expect(redisBackoffMs(10_000, 50, 5_000, () => 1)).toBe(5_000);
    expect(redisBackoffMs(10_000, 50, 5_000, () => 0)).toBe(2_500);
  });
});
