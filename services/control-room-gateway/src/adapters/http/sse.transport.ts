import type { ServerResponse } from 'node:http';
import type { RingEntry } from '../../application/event-ring';
import type { EventSink } from '../../application/event-sink.port';

/**
 * Server-Sent Events over one HTTP response. Each event: `id: <global position>` and `data: <JSON>`;
 * a client too far behind gets `event: lagging` with the position to resume after, then the
 * connection closes (EventSource reconnects with Last-Event-ID and catches up).
 */
const LAGGING_GRACE_MS = 30_000;

export class SseSink implements EventSink {
  /** Something was written since the last heartbeat: the connection is visibly alive without one. */
  private wroteSinceHeartbeat = false;

  constructor(
    private readonly res: ServerResponse,
    /** Bytes buffered in the process for this client before it counts as not reading. */
    private readonly maxBufferedBytes: number,
  ) {}

  open(retryMs: number): void {
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    this.res.write(`retry: ${retryMs}\n: reflux control-room events\n\n`);
  }

  send(entry: RingEntry): boolean {
    if (this.res.destroyed) return false;
    this.res.write(entry.sseFrame);
    this.wroteSinceHeartbeat = true;
    return this.res.writableLength < this.maxBufferedBytes;
  }

  /** A keep-alive comment, unless an event went out since the last call or the client is not reading. */
  heartbeat(): void {
    const idle = !this.wroteSinceHeartbeat;
    this.wroteSinceHeartbeat = false;
    if (idle && !this.res.destroyed && this.res.writableLength < this.maxBufferedBytes) this.res.write(': keep-alive\n\n');
  }

  lagging(resumeAfter: number | undefined): void {
    const data = JSON.stringify({ reason: 'client too far behind the live stream; reconnect to resume', resumeAfter: resumeAfter ?? null });
    this.res.end(`event: lagging\ndata: ${data}\n\n`);
    // A client that reads nothing never drains: its socket (and what is buffered for it, at most
    // the bound plus this message) goes after a grace period unless everything was flushed by then.
    const timer = setTimeout(() => this.res.destroy(), LAGGING_GRACE_MS);
    timer.unref();
    this.res.once('finish', () => clearTimeout(timer));
  }
}
