import { isRetriable } from '@reflux/decider';

export interface RetryOptions {
  /** Attempts after the first one. Default 5. */
  readonly retries?: number;
  /** Delay before the first retry, in ms. Default 10. */
  readonly initialDelayMs?: number;
  /** Upper bound of any delay, in ms. Default 1000. */
  readonly maxDelayMs?: number;
  /** Growth per retry. Default 2. */
  readonly factor?: number;
  /** Which errors to retry; default: those with `retriable: true`. */
  readonly shouldRetry?: (error: unknown) => boolean;
  /** Injected for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Exponential backoff with full jitter (AWS architecture blog): the n-th retry waits a uniformly
 * random time in [0, min(maxDelay, initialDelay * factor^(n-1))].
 */
export function backoffDelayMs(retry: number, options: RetryOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialDelayMs ?? 10;
  const max = options.maxDelayMs ?? 1000;
  const factor = options.factor ?? 2;
  const ceiling = Math.min(max, initial * factor ** (retry - 1));
  return random() * ceiling;
}

/** Runs `work`, retrying errors that say `retriable: true` (or match `shouldRetry`) with backoff and jitter. */
export async function retryWithBackoff<T>(work: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const retries = options.retries ?? 5;
  const shouldRetry = options.shouldRetry ?? isRetriable;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (attempt > retries || !shouldRetry(error)) throw error;
      const delay = backoffDelayMs(attempt, options, options.random);
      options.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}
