/** What the shared heartbeat needs of a stream. */
export interface HeartbeatTarget {
  /** Writes a keep-alive comment unless the stream carried something since the last call. */
  heartbeat(): void;
}

/**
 * One timer for the keep-alive comments of every open SSE stream of a server, instead of one
 * timer per connection. Runs only while a stream is open (and never holds the process open).
 */
export class SseHeartbeat {
  private readonly targets = new Set<HeartbeatTarget>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs: number) {}

  /** Adds a stream; the returned function removes it (call it when the stream closes). */
  add(target: HeartbeatTarget): () => void {
    this.targets.add(target);
    if (!this.timer) {
      this.timer = setInterval(() => {
        for (const t of this.targets) t.heartbeat();
      }, this.intervalMs);
      this.timer.unref();
    }
    return () => {
      this.targets.delete(target);
      if (this.targets.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  get size(): number {
    return this.targets.size;
  }
}

const perContext = new WeakMap<object, SseHeartbeat>();

/** The heartbeat shared by the streams of one server (keyed by its route context). */
export function sharedHeartbeat(context: object, intervalMs: number): SseHeartbeat {
  let heartbeat = perContext.get(context);
  if (!heartbeat) {
    heartbeat = new SseHeartbeat(intervalMs);
    perContext.set(context, heartbeat);
  }
  return heartbeat;
}
