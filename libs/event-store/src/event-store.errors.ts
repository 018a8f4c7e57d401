import { DomainError } from '@reflux/decider';

export const EVENT_STORE_ERROR_CODES = {
  /** The stream's version is not what the writer expected; re-read and decide again. Retriable. */
  WRONG_EXPECTED_VERSION: 'EVENT_STORE.WRONG_EXPECTED_VERSION',
  /** An event id is already stored with another stream, type, schema version or data. */
  EVENT_ID_CONFLICT: 'EVENT_STORE.EVENT_ID_CONFLICT',
  /** Some, not all, event ids of a batch are already stored: neither a new append nor a retry. */
  PARTIAL_DUPLICATE_BATCH: 'EVENT_STORE.PARTIAL_DUPLICATE_BATCH',
  /** Arguments fail validation; `details.issues` names each field. */
  INVALID_ARGUMENT: 'EVENT_STORE.INVALID_ARGUMENT',
  /**
   * Appending inside a caller's transaction that obtained its transaction id before the stream's
   * last writer did: committing would let subscriptions deliver the stream out of order. Roll back
   * and retry in a new transaction. Retriable. (Standalone appends retry this themselves.)
   */
  TRANSACTION_ORDER_CONFLICT: 'EVENT_STORE.TRANSACTION_ORDER_CONFLICT',
  /** Another transaction stored one of the event ids while this one ran. Retriable: retry to classify. */
  CONCURRENT_DUPLICATE: 'EVENT_STORE.CONCURRENT_DUPLICATE',
  /** Deadlock, serialization failure or lost connection. Retriable. */
  TRANSIENT: 'EVENT_STORE.TRANSIENT',
  /** An upcaster threw or the registry is mis-declared. */
  UPCAST_FAILED: 'EVENT_STORE.UPCAST_FAILED',
  /**
   * A stored transaction id (an event's, a checkpoint's or a stream's last writer's) lies beyond
   * the cluster's transaction counter: the database was restored from a dump or moved by logical
   * replication into a cluster whose counter is lower. Subscriptions would skip new events. Run
   * `rebaseTransactionIds` (see the README, "After a restore"). Not retriable.
   */
  TRANSACTION_IDS_AHEAD: 'EVENT_STORE.TRANSACTION_IDS_AHEAD',
  /** The store was closed. */
  CLOSED: 'EVENT_STORE.CLOSED',
} as const;

export type EventStoreErrorCode = (typeof EVENT_STORE_ERROR_CODES)[keyof typeof EVENT_STORE_ERROR_CODES];

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export class EventStoreError extends DomainError {
  declare readonly code: EventStoreErrorCode;

  constructor(code: EventStoreErrorCode, message: string, options: { retriable?: boolean; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(code, message, options);
  }
}

export class WrongExpectedVersionError extends EventStoreError {
  readonly streamId: string;
  readonly expected: string | number;
  readonly actual: number;

  constructor(streamId: string, expected: string | number, actual: number) {
    super(EVENT_STORE_ERROR_CODES.WRONG_EXPECTED_VERSION, `stream ${streamId}: expected version ${expected}, actual ${actual}`, {
      retriable: true,
      details: { streamId, expected, actual },
    });
    this.streamId = streamId;
    this.expected = expected;
    this.actual = actual;
  }
}

export class InvalidArgumentError extends EventStoreError {
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[]) {
    super(EVENT_STORE_ERROR_CODES.INVALID_ARGUMENT, `invalid argument: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { details: { issues } });
    this.issues = issues;
  }
}

/** Maps PostgreSQL's transient failures (deadlock, serialization, connection loss) to a retriable error. */
export function translatePgError(error: unknown): unknown {
  if (error instanceof EventStoreError) return error;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code === '40P01' || code === '40001' || (typeof code === 'string' && code.startsWith('08'))) {
    return new EventStoreError(EVENT_STORE_ERROR_CODES.TRANSIENT, `transient database failure: ${(error as Error).message}`, { retriable: true, cause: error });
  }
  if (error instanceof Error && /Connection terminated|ECONNRESET|ECONNREFUSED/.test(error.message)) {
    return new EventStoreError(EVENT_STORE_ERROR_CODES.TRANSIENT, `transient database failure: ${error.message}`, { retriable: true, cause: error });
  }
  return error;
}
