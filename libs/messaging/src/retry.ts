import type { RetryPolicy } from './event-bus.port';

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  initialDelayMs: 100,
  maxDelayMs: 30_000,
  multiplier: 2,
  jitter: 0.2,
};

/**
 * Delay before try `attempt + 1` after `attempt` failed: initial × multiplier^(attempt-1), capped,
 * then spread by ±jitter so that many consumers failing together do not retry in lockstep.
 */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** Math.max(0, attempt - 1));
  const spread = base * policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(base + spread));
}

/** Only an explicit `retriable: false` (a contract violation, a domain rule) stops retrying early. */
export function mayRetry(error: unknown): boolean {
  return !(typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === false);
}

export interface RetryOutcome<T> {
  readonly ok: boolean;
  readonly value?: T;
  readonly error?: unknown;
  readonly attempts: number;
}

/**
 * Runs `work` until it succeeds, throws a non-retriable error, or `maxAttempts` is reached, waiting
 * `backoffDelayMs` between tries. Never throws: the caller decides what a final failure means
 * (dead-letter, rethrow). `shouldStop` aborts the waiting when the consumer is shutting down.
 */
export async function retryWithBackoff<T>(
  work: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  hooks: { onRetry?: (error: unknown, attempt: number, delayMs: number) => void; shouldStop?: () => boolean; sleep?: (ms: number) => Promise<void> } = {},
): Promise<RetryOutcome<T>> {
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await work(attempt), attempts: attempt };
    } catch (error) {
      if (!mayRetry(error) || attempt >= policy.maxAttempts || hooks.shouldStop?.()) return { ok: false, error, attempts: attempt };
      const delayMs = backoffDelayMs(attempt, policy);
      hooks.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs);
    }
  }
}
