/** Detail of one invalid request field, for google.rpc.BadRequest-style responses. */
export interface FieldViolation {
  readonly field: string;
  readonly description: string;
}

/** Root of the ingestion service's errors: a stable `code` survives process boundaries. */
export class IngestionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retriable: boolean,
    readonly violations: readonly FieldViolation[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'IngestionError';
  }
}

/** The request is malformed or exceeds a limit; each offending field is named. */
export class InvalidRequestError extends IngestionError {
  constructor(violations: readonly FieldViolation[]) {
    super('INGESTION.INVALID_REQUEST', `invalid request: ${violations.map((v) => `${v.field}: ${v.description}`).join('; ')}`, false, violations);
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
