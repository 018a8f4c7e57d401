/** Detail of one invalid request field, for google.rpc.BadRequest-style responses. */
export interface FieldViolation {
  readonly field: string;
  readonly description: string;
}

/** How a transport should classify the error (maps to a gRPC status). */
export type IngestionErrorKind = 'validation' | 'already-exists' | 'unavailable' | 'resource-exhausted' | 'internal';

/** Root of the ingestion service's errors: a stable `code` survives process boundaries. */
export class IngestionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retriable: boolean,
    readonly fieldViolations: readonly FieldViolation[] = [],
    options?: { cause?: unknown },
    readonly kind: IngestionErrorKind = retriable ? 'unavailable' : 'internal',
  ) {
    super(message, options);
    this.name = 'IngestionError';
  }
}

/** The request is malformed or exceeds a limit; each offending field is named. */
export class InvalidRequestError extends IngestionError {
  constructor(fieldViolations: readonly FieldViolation[]) {
    super('INGESTION.INVALID_REQUEST', `invalid request: ${fieldViolations.map((v) => `${v.field}: ${v.description}`).join('; ')}`, false, fieldViolations, undefined, 'validation');
    this.name = 'InvalidRequestError';
  }
}

/** The writer is shutting down; the client should retry elsewhere or later. */
export class WriterClosedError extends IngestionError {
  constructor() {
    super('INGESTION.WRITER_CLOSED', 'the measurement writer is closed', true);
    this.name = 'WriterClosedError';
  }
}

/** The database failed; the batch was not committed and may be retried with the same id. */
export class StorageUnavailableError extends IngestionError {
  constructor(cause: unknown) {
    super('INGESTION.STORAGE_UNAVAILABLE', `storage failed: ${cause instanceof Error ? cause.message : String(cause)}`, true, [], { cause });
    this.name = 'StorageUnavailableError';
  }
}

/**
 * The writer already committed a batch with this id and different content (a connector whose
 * counter was reset, two data sources sharing one identity): nothing of it is written. Use a new id.
 */
export class BatchIdConflictError extends IngestionError {
  constructor(readonly clientBatchId: string) {
    super(
      'INGESTION.BATCH_ID_CONFLICT',
      `batch id "${clientBatchId}" was already committed by this writer with different content; nothing was written (give new content a new batch id)`,
      false,
      [{ field: 'client_batch_id', description: 'was already used by this writer for a batch with different content' }],
      undefined,
      'already-exists',
    );
    this.name = 'BatchIdConflictError';
  }
}
