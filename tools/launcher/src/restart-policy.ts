/** When a crashed service is started again, and when the launcher gives up. */
export interface RestartPolicy {
  /** First delay before a restart, ms; doubles with each crash inside the window. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** This many crashes inside `windowMs` stop the stack instead of another restart. */
  readonly maxCrashes: number;
  readonly windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { initialDelayMs: 1_000, maxDelayMs: 30_000, maxCrashes: 5, windowMs: 5 * 60_000 };

export type RestartDecision =
  | { readonly restart: true; readonly delayMs: number; readonly crashesInWindow: number }
  | { readonly restart: false; readonly crashesInWindow: number };

/**
 * Decides after a crash at `nowMs`, given the earlier crash times of the same service: restart
 * after 1 s, 2 s, 4 s … (capped) for crashes close together, back to 1 s once earlier crashes
 * have left the window; give up at `maxCrashes` inside the window (a crash loop, not a hiccup).
 */
export function decideRestart(earlierCrashesMs: readonly number[], nowMs: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): RestartDecision {
  const crashesInWindow = earlierCrashesMs.filter((t) => nowMs - t < policy.windowMs).length + 1;
  if (crashesInWindow >= policy.maxCrashes) return { restart: false, crashesInWindow };
  return { restart: true, delayMs: Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (crashesInWindow - 1)), crashesInWindow };
}
