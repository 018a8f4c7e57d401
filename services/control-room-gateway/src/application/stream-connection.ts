import { matchesFilter, type EventFilter } from '../domain/event-filter';
import { isIntegrationStream } from '../domain/wire-event';
import type { EventLog, LogBatch, LogCursor } from './event-log.port';
import type { EventRing, RingEntry } from './event-ring';
import type { FrameCache } from './frame-cache';
import type { EventSink } from './event-sink.port';
import type { Semaphore } from './semaphore';

export interface ConnectionContext {
  readonly ring: EventRing;
  readonly log: EventLog;
  readonly catchUps: Semaphore;
  readonly catchUpBatch: number;
  /** Frames of recent catch-up events, shared by the connections that resume. */
  readonly frames: FrameCache;
  /** Types to read from the log when the filter names none (every integration event type). */
  readonly allTypes: readonly string[];
  readonly onLagging: () => void;
}

/**
 * One client's position in the log and the pump that moves it forward: from the database while the
 * client is behind what the ring holds (a resume), then from the ring. Only what the transport
 * accepts is handed over; once its buffer is full the pump waits for `writable()`. A live client
 * whose position the ring has evicted is told it is lagging and closed: it resumes from its last
 * position (through the database, on any replica), and meanwhile costs the gateway nothing.
 */
export class StreamConnection {
  private cursor: LogCursor;
  private lastPosition: number | undefined;
  private live = false;
  private blocked = false;
  private pumping = false;
  private again = false;
  /** Counts `writable()` calls: a transport may report it drained from inside `send`. */
  private drains = 0;
  private pending: { readonly batch: LogBatch; index: number } | undefined;
  closed = false;

  constructor(
    private readonly context: ConnectionContext,
    private readonly sink: EventSink,
    private readonly filter: EventFilter,
    from: LogCursor,
    resumedAfter: number | undefined,
  ) {
    this.cursor = from;
    this.lastPosition = resumedAfter;
  }

  /** The transport can take more. */
  writable(): void {
    this.drains++;
    this.blocked = false;
    this.pump();
  }

  close(): void {
    this.closed = true;
  }

  /** New events reached the ring (or it moved on). */
  appended(): void {
    if (this.closed) return;
    if (this.blocked) {
      if (this.live && !this.context.ring.covers(this.cursor)) this.lag();
      return;
    }
    this.pump();
  }

  pump(): void {
    if (this.closed) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    if (this.live && !this.pending) {
      // The common case, a live client: served from the ring synchronously (no promise per
      // connection per event), so every connection has its frames queued within the tail's batch.
      try {
        do {
          this.again = false;
          if (!this.context.ring.covers(this.cursor)) return this.lag();
          this.sendFromRing();
        } while (this.again && !this.closed && !this.blocked);
      } catch {
        this.lag();
      } finally {
        this.pumping = false;
      }
      return;
    }
    void this.run()
      .catch(() => this.lag())
      .finally(() => {
        this.pumping = false;
        if (this.again && !this.blocked) this.pump();
      });
  }

  /** Catches up from the database until the ring covers the cursor, then goes live. */
  private async run(): Promise<void> {
    const { ring } = this.context;
    do {
      this.again = false;
      while (!this.closed && !this.blocked && (this.pending || !ring.covers(this.cursor))) {
        if (this.live) return this.lag();
        await this.catchUpOnce();
      }
      if (this.closed || this.blocked) return;
      this.live = true;
      this.sendFromRing();
    } while (this.again && !this.closed);
  }

  /** Every ring entry after the cursor that the filter keeps, until the transport is full. */
  private sendFromRing(): void {
    const { ring, log } = this.context;
    let i = ring.firstAfter(this.cursor);
    for (let e = ring.at(i); e !== undefined; e = ring.at(++i)) {
      this.cursor = e.cursor;
      if (!matchesFilter(this.filter, e)) continue;
      if (!this.trySend(e)) return;
    }
    if (log.compare(ring.head, this.cursor) > 0) this.cursor = ring.head;
  }

  /**
   * One batch from the database after the cursor (bounded concurrency across connections). What the
   * transport does not take yet stays in `pending` (one batch at most) and goes out on `writable()`.
   */
  private async catchUpOnce(): Promise<void> {
    const { log, catchUps, catchUpBatch, allTypes } = this.context;
    if (!this.pending) {
      const types = this.filter.types.size > 0 ? [...this.filter.types] : allTypes;
      const batch = await catchUps.run(() => log.read(this.cursor, catchUpBatch, types));
      if (this.closed) return;
      this.pending = { batch, index: 0 };
    }
    const { batch } = this.pending;
    while (this.pending.index < batch.events.length) {
      const i = this.pending.index++;
      const event = batch.events[i];
      this.cursor = batch.cursors[i];
      if (!isIntegrationStream(event.streamId)) continue;
      const entry = this.context.frames.entryOf(event, batch.cursors[i]);
      if (!matchesFilter(this.filter, entry)) continue;
      if (!this.trySend(entry)) return;
    }
    this.pending = undefined;
    if (log.compare(batch.next, this.cursor) > 0) this.cursor = batch.next;
  }

  /** Sends; false (and blocked) when the transport is full and did not drain meanwhile. */
  private trySend(entry: RingEntry): boolean {
    const drains = this.drains;
    const accepted = this.sink.send(entry);
    // Only once the transport took it (a send that throws delivered nothing): the lagging message's resume position.
    this.lastPosition = entry.position;
    if (accepted || this.drains !== drains) return true;
    this.blocked = true;
    return false;
  }

  private lag(): void {
    if (this.closed) return;
    this.closed = true;
    this.context.onLagging();
    this.sink.lagging(this.lastPosition);
  }
}
