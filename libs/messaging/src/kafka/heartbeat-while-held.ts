import type { Logger } from 'pino';

/**
 * Heartbeats the consumer group every `intervalMs` while a message is held (a handler running
 * longer than the session timeout, or retrying through an outage), so the member is not evicted
 * and its partition handed to another member that would process the message a second time.
 * kafkajs only heartbeats between messages by itself. A heartbeat that reports a rebalance calls
 * `onRebalance`: the holder must give the message up (uncommitted) so the member can rejoin in time.
 */
export function heartbeatWhileHeld(heartbeat: () => Promise<void>, intervalMs: number, logger: Logger, onRebalance: (error: unknown) => void): { stop(): void } {
  let inFlight = false;
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = true;
    heartbeat()
      .catch((error: unknown) => {
        if (isRebalancing(error)) onRebalance(error);
        else logger.warn({ err: (error as Error).message }, 'heartbeat while holding a message failed');
      })
      .finally(() => {
        inFlight = false;
      });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

function isRebalancing(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  return type === 'REBALANCE_IN_PROGRESS' || type === 'NOT_COORDINATOR_FOR_GROUP' || type === 'ILLEGAL_GENERATION' || type === 'UNKNOWN_MEMBER_ID';
}
