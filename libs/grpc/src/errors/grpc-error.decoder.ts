import { status as Status, type ServiceError } from '@grpc/grpc-js';
import { decodeStatusDetails, STATUS_DETAILS_KEY, type BadRequestViolation } from './status-details.codec';

/** A failed call as a client sees it, with the server's rich details decoded. */
export interface DecodedGrpcError {
  /** gRPC status code. */
  readonly status: Status;
  /** Name of the status code, e.g. `INVALID_ARGUMENT`. */
  readonly statusName: string;
  readonly message: string;
  /** Stable domain error code from ErrorDetail, e.g. `INGESTION.TAG_NOT_FOUND`. */
  readonly code?: string;
  /** From ErrorDetail when present, else inferred from the status (UNAVAILABLE, RESOURCE_EXHAUSTED, ABORTED). */
  readonly retriable: boolean;
  readonly retryDelayMs?: number;
  readonly metadata: Readonly<Record<string, string>>;
  readonly fieldViolations: readonly BadRequestViolation[];
}

const RETRIABLE_BY_DEFAULT = new Set<Status>([Status.UNAVAILABLE, Status.RESOURCE_EXHAUSTED, Status.ABORTED]);

function isServiceError(error: unknown): error is ServiceError {
  return typeof error === 'object' && error !== null && typeof (error as ServiceError).code === 'number' && 'metadata' in error;
}

/** Decodes the error of a failed grpc-js client call (`grpc-status-details-bin` trailer included). */
export function decodeGrpcError(error: unknown): DecodedGrpcError {
  if (!isServiceError(error)) {
    return { status: Status.UNKNOWN, statusName: 'UNKNOWN', message: error instanceof Error ? error.message : String(error), retriable: false, metadata: {}, fieldViolations: [] };
  }
  const base = { status: error.code, statusName: Status[error.code] ?? String(error.code), message: error.details };
  const raw = error.metadata?.get(STATUS_DETAILS_KEY)[0];
  if (!(raw instanceof Buffer)) return { ...base, retriable: RETRIABLE_BY_DEFAULT.has(error.code), metadata: {}, fieldViolations: [] };
  const decoded = decodeStatusDetails(raw);
  const detail = decoded.errorDetail;
  return {
    ...base,
    code: detail?.code,
    retriable: detail ? detail.retriable : RETRIABLE_BY_DEFAULT.has(error.code),
    ...(detail?.retryDelayMs !== undefined ? { retryDelayMs: detail.retryDelayMs } : {}),
    metadata: detail?.metadata ?? {},
    fieldViolations: decoded.fieldViolations,
  };
}
