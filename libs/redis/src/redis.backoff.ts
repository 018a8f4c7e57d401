/**
 * Reconnect delay for attempt n (1-based): exponential from `minMs`, capped at `maxMs`, with full
 * jitter in the upper half so a fleet of pods does not reconnect in lockstep after a Redis restart.
 */
export function redisBackoffMs(attempt: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
