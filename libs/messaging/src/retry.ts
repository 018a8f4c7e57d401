import type { RetryPolicy } from './event-bus.port';

/**
 * 100 ms, doubling, capped at 30 s, ±20 %. There is no attempt limit: a retriable failure (a
 * database failover, a broker or downstream outage) is waited out, holding the message; only what
 * can never succeed (`retriable: false`, an invalid message) is dead-lettered.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
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
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** Math.min(64, Math.max(0, attempt - 1)));
  const spread = base * policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(base + spread));
}

/** Only an explicit `retriable: false` (a contract violation, a domain rule) stops retrying. */
export function mayRetry(error: unknown): boolean {
  return !(typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === false);
}

export type RetryOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: number }
  /** `non-retriable`: the error says it can never succeed; `stopped`: the signal aborted the waiting. */
  | { readonly ok: false; readonly error: unknown; readonly attempts: number; readonly reason: 'non-retriable' | 'stopped' };

export interface RetryHooks {
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Aborted when the consumer stops: the retrying ends with `stopped` instead of trying again. */
  readonly signal?: AbortSignal;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Runs `work` until it succeeds, throws a non-retriable error, or `signal` aborts, waiting
 * `backoffDelayMs` between tries, without an attempt limit. Never throws: the caller decides what a
 * final failure means (dead-letter, leave for redelivery).
 */
export async function retryWithBackoff<T>(work: (attempt: number) => Promise<T>, policy: RetryPolicy, hooks: RetryHooks = {}): Promise<RetryOutcome<T>> {
  const sleep = hooks.sleep ?? abortableSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await work(attempt), attempts: attempt };
    } catch (error) {
      if (!mayRetry(error)) return { ok: false, error, attempts: attempt, reason: 'non-retriable' };
      if (hooks.signal?.aborted) return { ok: false, error, attempts: attempt, reason: 'stopped' };
      const delayMs = backoffDelayMs(attempt, policy);
      hooks.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, hooks.signal);
      if (hooks.signal?.aborted) return { ok: false, error, attempts: attempt, reason: 'stopped' };
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
