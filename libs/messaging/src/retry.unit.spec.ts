import { DomainError } from '@reflux/decider';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, mayRetry, retryWithBackoff } from './retry';

const policy = { initialDelayMs: 100, maxDelayMs: 350, multiplier: 2, jitter: 0.2 };

describe('retry with exponential backoff and jitter', () => {
  it('doubles the delay per attempt and caps it', () => {
    const noJitter = { ...policy, jitter: 0 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelayMs(a, noJitter))).toEqual([100, 200, 350, 350, 350]);
  });

  it('spreads the delay by at most ±jitter', () => {
    expect(backoffDelayMs(2, policy, () => 0)).toBe(160);
    expect(backoffDelayMs(2, policy, () => 1)).toBe(240);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelayMs(2, policy);
      expect(d).toBeGreaterThanOrEqual(160);
      expect(d).toBeLessThanOrEqual(240);
    }
  });

  it('retries until success and reports the attempts used', async () => {
    const sleeps: number[] = [];
    const outcome = await retryWithBackoff(
      async (attempt) => {
        if (attempt < 3) throw new Error('connection reset');
        return 'ok';
      },
      { ...policy, jitter: 0 },
      { sleep: async (ms) => void sleeps.push(ms) },
    );
    expect(outcome).toEqual({ ok: true, value: 'ok', attempts: 3 });
    expect(sleeps).toEqual([100, 200]);
  });

  it('keeps retrying a retriable failure far past the old five-try budget, with the delay capped', async () => {
    let calls = 0;
    const sleeps: number[] = [];
    const outcome = await retryWithBackoff(
      async () => {
        if (++calls < 200) throw new Error('database failover in progress');
        return calls;
      },
      { ...policy, jitter: 0 },
      { sleep: async (ms) => void sleeps.push(ms) },
    );
    expect(outcome).toEqual({ ok: true, value: 200, attempts: 200 });
    expect(Math.max(...sleeps)).toBe(350);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThan(60_000);
  });

  it('stops at once on an error that says retriable: false', async () => {
    let calls = 0;
    const outcome = await retryWithBackoff(
      async () => {
        calls++;
        throw new DomainError('BALANCE.UNKNOWN_UNIT', 'no such unit');
      },
      policy,
      { sleep: async () => undefined },
    );
    expect(calls).toBe(1);
    expect(outcome).toMatchObject({ ok: false, attempts: 1, reason: 'non-retriable' });
  });

  it('treats errors without the flag, and retriable ones, as worth another try', () => {
    expect(mayRetry(new Error('ECONNRESET'))).toBe(true);
    expect(mayRetry({ retriable: true })).toBe(true);
    expect(mayRetry({ retriable: false })).toBe(false);
    expect(mayRetry('a string')).toBe(true);
  });

  it('stops retrying when the consumer is shutting down, also in the middle of a backoff sleep', async () => {
    let calls = 0;
    const stopping = new AbortController();
    const started = Date.now();
    const outcome = await retryWithBackoff(
      async () => {
        calls++;
        if (calls === 2) setTimeout(() => stopping.abort(), 20);
        throw new Error('down');
      },
      { ...DEFAULT_RETRY_POLICY, initialDelayMs: 10, multiplier: 1000 },
      { signal: stopping.signal },
    );
    expect(calls).toBe(2);
    expect(outcome).toMatchObject({ ok: false, reason: 'stopped' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
