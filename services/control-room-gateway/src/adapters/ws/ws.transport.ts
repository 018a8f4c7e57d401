import type { WebSocket } from 'ws';
import type { RingEntry } from '../../application/event-ring';
import type { EventSink } from '../../application/event-sink.port';

/**
 * WebSocket frames: each event is its JSON (with `position`, the resume token); control frames have
 * `control` (`lagging` with `resumeAfter`). Reconnect with `?resumeAfter=<position>`.
 */
export class WsSink implements EventSink {
  private outstanding = 0;

  constructor(
    private readonly socket: WebSocket,
    private readonly maxBufferedBytes: number,
    private readonly onWritable: () => void,
  ) {}

  send(entry: RingEntry): boolean {
    if (this.socket.readyState !== this.socket.OPEN) return false;
    this.outstanding++;
    this.socket.send(entry.json, () => {
      this.outstanding--;
      if (this.outstanding === 0) this.onWritable();
    });
    return this.socket.bufferedAmount < this.maxBufferedBytes;
  }

  lagging(resumeAfter: number | undefined): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(JSON.stringify({ control: 'lagging', reason: 'client too far behind the live stream; reconnect to resume', resumeAfter: resumeAfter ?? null }));
    this.socket.close(4008, 'lagging');
    // A client that reads nothing never completes the closing handshake: drop it after a grace period.
    const timer = setTimeout(() => this.socket.terminate(), 30_000);
    timer.unref();
    this.socket.once('close', () => clearTimeout(timer));
  }
}
