import type { EventFilter } from '../domain/event-filter';
import { filterableOf, toWireEvent, type StoredIntegrationEvent } from '../domain/wire-event';
import type { FilterableEvent } from '../domain/event-filter';
import type { LogCursor } from './event-log.port';

/** One event as fanned out: serialised once, shared by every connection. */
export interface RingEntry extends FilterableEvent {
  readonly cursor: LogCursor;
  readonly position: number;
  readonly json: string;
  readonly sseFrame: Buffer;
}

export function ringEntryOf(event: StoredIntegrationEvent, cursor: LogCursor): RingEntry {
  const json = JSON.stringify(toWireEvent(event));
  return {
    ...filterableOf(event.type, event.data),
    cursor,
    position: event.globalPosition,
    json,
    sseFrame: Buffer.from(`id: ${event.globalPosition}\ndata: ${json}\n\n`),
  };
}

export type { EventFilter };

/** Memory an entry holds: its SSE frame and its JSON (UTF-16 in the heap). */
export const ringEntrySize = (e: RingEntry): number => e.sseFrame.length + e.json.length * 2;

/**
 * The recent integration events in commit-safe order, bounded by count and bytes. `from` is the
 * cursor before the first entry: every event in (from, last] is here, so a connection whose cursor
 * is at or after `from` is served from memory; one before it has fallen behind.
 */
export class EventRing {
  private entries: RingEntry[] = [];
  private start = 0;
  private bytes = 0;
  from: LogCursor;
  /** Cursor the tail has reached (after the last batch, possibly past filtered events). */
  head: LogCursor;

  constructor(
    origin: LogCursor,
    private readonly compare: (a: LogCursor, b: LogCursor) => number,
    private readonly maxEvents: number,
    private readonly maxBytes: number,
  ) {
    this.from = origin;
    this.head = origin;
  }

  get size(): number {
    return this.entries.length - this.start;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  append(entries: readonly RingEntry[], head: LogCursor): void {
    for (const e of entries) {
      this.entries.push(e);
      this.bytes += ringEntrySize(e);
    }
    this.head = head;
    while (this.size > 0 && (this.size > this.maxEvents || this.bytes > this.maxBytes)) {
      const evicted = this.entries[this.start++];
      this.bytes -= ringEntrySize(evicted);
      this.from = evicted.cursor;
    }
    if (this.start > 1024 && this.start * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.start);
      this.start = 0;
    }
  }

  /** Whether every event after `cursor` is still here. */
  covers(cursor: LogCursor): boolean {
    return this.compare(cursor, this.from) >= 0;
  }

  /**
   * Index of the first entry after `cursor`, for `at`. A live connection is usually a few entries
   * from the end (it was served the previous batch): those are looked at first, then a binary search.
   */
  firstAfter(cursor: LogCursor): number {
    let hi = this.entries.length;
    for (let steps = 0; steps < 8 && hi > this.start; steps++, hi--)
      if (this.compare(this.entries[hi - 1].cursor, cursor) <= 0) return hi;
    let lo = this.start;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.entries[mid].cursor, cursor) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  at(index: number): RingEntry | undefined {
    return index < this.entries.length ? this.entries[index] : undefined;
  }
}
