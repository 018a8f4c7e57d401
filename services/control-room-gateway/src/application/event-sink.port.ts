import type { RingEntry } from './event-ring';

/** One client connection's transport (SSE response, WebSocket). */
export interface EventSink {
  /** Sends one event; false when the transport's buffer has reached its bound (wait for the connection's `writable`). */
  send(entry: RingEntry): boolean;
  /** Tells the client it fell too far behind, with the position to resume after, and closes. */
  lagging(resumeAfter: number | undefined): void;
}
