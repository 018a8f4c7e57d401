import type { StoredIntegrationEvent } from '../domain/wire-event';
import type { LogCursor } from './event-log.port';
import { ringEntryOf, ringEntrySize, type RingEntry } from './event-ring';

/**
 * The serialised frames of recently read catch-up events, keyed by global position (an event's
 * content never changes), so that clients resuming from about the same position (every client of
 * a restarted replica, a console wall reconnecting after a network blip) serialise each event once
 * between them, not once each. Bounded by count and bytes; the oldest entries go first.
 */
export class FrameCache {
  private readonly entries = new Map<number, RingEntry>();
  private bytes = 0;
  /** Entries serialised (misses), for tests and metrics. */
  serialised = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  entryOf(event: StoredIntegrationEvent, cursor: LogCursor): RingEntry {
    const cached = this.entries.get(event.globalPosition);
    if (cached) return cached;
    const entry = ringEntryOf(event, cursor);
    this.serialised++;
    const size = ringEntrySize(entry);
    if (size > this.maxBytes || this.maxEntries === 0) return entry;
    this.entries.set(entry.position, entry);
    this.bytes += size;
    for (const [position, oldest] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(position);
      this.bytes -= ringEntrySize(oldest);
    }
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }

  get sizeBytes(): number {
    return this.bytes;
  }
}

