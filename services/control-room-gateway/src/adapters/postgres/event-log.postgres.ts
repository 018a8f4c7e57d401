import { checkpointAtPosition, compareCheckpoints, headCheckpoint, type PostgresEventStore, type SafeBatch } from '@reflux/event-store';
import type { EventLog, LogBatch, LogCursor, LogTailHandle } from '../../application/event-log.port';

const toBatch = (b: SafeBatch): LogBatch => ({ events: b.events, cursors: b.checkpoints, next: b.next, full: b.full });

/** The event log of the shared PostgreSQL event store, read-only (no subscription checkpoint is stored). */
export class PostgresEventLog implements EventLog {
  private readonly readers = new Map<string, ReturnType<PostgresEventStore['reader']>>();

  constructor(
    private readonly store: PostgresEventStore,
    /** Every integration event type: what the tail reads. */
    private readonly eventTypes: readonly string[],
  ) {}

  head(): Promise<LogCursor> {
    return headCheckpoint(this.store.pool);
  }

  cursorAt(position: number): Promise<LogCursor | undefined> {
    return checkpointAtPosition(this.store.pool, position);
  }

  async read(from: LogCursor, limit: number, types: readonly string[]): Promise<LogBatch> {
    const key = [...types].sort().join(',');
    let reader = this.readers.get(key);
    if (!reader) {
      reader = this.store.reader({ eventTypes: types });
      if (this.readers.size < 256) this.readers.set(key, reader);
    }
    return toBatch(await reader.read(from, limit));
  }

  tail(from: LogCursor, batchSize: number, onBatch: (batch: LogBatch) => void): LogTailHandle {
    return this.store.tail({ from, eventTypes: this.eventTypes, batchSize }, (events, checkpoints, next) =>
      onBatch({ events, cursors: checkpoints, next, full: false }),
    );
  }

  compare(a: LogCursor, b: LogCursor): number {
    return compareCheckpoints(a, b);
  }
}
