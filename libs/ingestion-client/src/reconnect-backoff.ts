/**
 * Delay before reconnect attempt `attempt` (1, 2, …): `initialMs` doubling to `maxMs`, spread by
 * ±20 % so that many connectors that lost the same ingestion do not come back in lockstep. (The
 * same shape as @reflux/messaging's backoffDelayMs; not imported from there, so that a connector
 * does not load the event-bus clients.)
 */
export function reconnectDelayMs(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(0, Math.round(base * (1 + 0.2 * (2 * random() - 1))));
}
