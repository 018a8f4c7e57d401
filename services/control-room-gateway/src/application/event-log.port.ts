import type { StoredIntegrationEvent } from '../domain/wire-event';

/** A point in the log's commit-safe order (opaque to the application except for comparison). */
export interface LogCursor {
  readonly transactionId: string;
  readonly globalPosition: number;
}

export interface LogBatch {
  readonly events: readonly StoredIntegrationEvent[];
  /** Cursor of each event (same index). */
  readonly cursors: readonly LogCursor[];
  /** Cursor after the batch (may lie past filtered-out events). */
  readonly next: LogCursor;
  /** More events may follow at once. */
  readonly full: boolean;
}

export interface LogTailHandle {
  stop(): Promise<void>;
}

/** The platform's event log, read-only, in commit-safe order. */
export interface EventLog {
  /** Cursor of "now": a tail from here sees only later events. */
  head(): Promise<LogCursor>;
  /** Cursor of the event at a global position; undefined when there is none (never written or pruned). */
  cursorAt(position: number): Promise<LogCursor | undefined>;
  /** Events after `from`, at most `limit`, of these types (all when empty). */
  read(from: LogCursor, limit: number, types: readonly string[]): Promise<LogBatch>;
  /** Catch-up then live from `from`; batches of at most `batchSize` handed over in order. */
  tail(from: LogCursor, batchSize: number, onBatch: (batch: LogBatch) => void): LogTailHandle;
  compare(a: LogCursor, b: LogCursor): number;
}
