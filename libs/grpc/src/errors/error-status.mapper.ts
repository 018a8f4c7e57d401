import { randomUUID } from 'node:crypto';
import { Metadata, status as Status, type StatusObject } from '@grpc/grpc-js';
import { isDomainErrorLike, type DomainErrorKind, type DomainErrorLike, type FieldViolation } from './domain-error';
import { PLATFORM_ERROR_CODES } from './platform-error-codes';
import { encodeStatusDetails, STATUS_DETAILS_KEY } from './status-details.codec';

const KIND_TO_STATUS: Record<DomainErrorKind, Status> = {
  validation: Status.INVALID_ARGUMENT,
  'not-found': Status.NOT_FOUND,
  'already-exists': Status.ALREADY_EXISTS,
  conflict: Status.ABORTED,
  'failed-precondition': Status.FAILED_PRECONDITION,
  'out-of-range': Status.OUT_OF_RANGE,
  unauthenticated: Status.UNAUTHENTICATED,
  'permission-denied': Status.PERMISSION_DENIED,
  'resource-exhausted': Status.RESOURCE_EXHAUSTED,
  unavailable: Status.UNAVAILABLE,
  'deadline-exceeded': Status.DEADLINE_EXCEEDED,
  unimplemented: Status.UNIMPLEMENTED,
  internal: Status.INTERNAL,
};

/** Inference from the code's reason, for errors that do not state their kind. Order matters. */
const REASON_RULES: readonly [RegExp, Status][] = [
  [/NOT_FOUND$/, Status.NOT_FOUND],
  [/(ALREADY_EXISTS|DUPLICATE)/, Status.ALREADY_EXISTS],
  [/(CONFLICT|CONCURRENCY|VERSION_MISMATCH|WRONG_EXPECTED_VERSION)/, Status.ABORTED],
  [/(INVALID|VALIDATION|MALFORMED)/, Status.INVALID_ARGUMENT],
  [/OUT_OF_RANGE$/, Status.OUT_OF_RANGE],
  [/(UNAUTHENTICATED)$/, Status.UNAUTHENTICATED],
  [/(PERMISSION_DENIED|FORBIDDEN)$/, Status.PERMISSION_DENIED],
  [/(RATE_LIMITED|QUOTA|TOO_MANY|BACKPRESSURE)/, Status.RESOURCE_EXHAUSTED],
];

/** The gRPC status code for a domain error: the platform table, else its kind, else inferred. */
export function grpcStatusOf(error: DomainErrorLike): Status {
  const platform = PLATFORM_ERROR_CODES[error.code];
  if (platform) return platform.status;
  if (error.kind) return KIND_TO_STATUS[error.kind];
  if (violationsOf(error).length > 0) return Status.INVALID_ARGUMENT;
  const rule = REASON_RULES.find(([pattern]) => pattern.test(error.code));
  if (rule) return rule[1];
  // a domain rule refused the request in the current state: retrying later may help only if the
  // error says so
  return error.retriable ? Status.UNAVAILABLE : Status.FAILED_PRECONDITION;
}

export function violationsOf(error: DomainErrorLike): FieldViolation[] {
  return [...(error.fieldViolations ?? []), ...(error.issues ?? []).map((i) => ({ field: i.path, description: i.message }))];
}

export interface MappedError extends StatusObject {
  /** For INTERNAL errors: the reference sent to the client and logged with the full error. */
  readonly incidentId?: string;
}

/**
 * Maps anything a handler threw to the status sent to the client. Domain errors keep their message
 * and gain a google.rpc.Status trailer (ErrorDetail + BadRequest). Anything else becomes INTERNAL
 * with an incident id and no message, stack or driver detail.
 */
export function toGrpcStatus(error: unknown): MappedError {
  if (!isDomainErrorLike(error) || PLATFORM_ERROR_CODES[error.code]?.internal) return internalStatus(isDomainErrorLike(error) ? error.code : 'GRPC.INTERNAL');
  const metadata = new Metadata();
  const code = grpcStatusOf(error);
  const fieldViolations = violationsOf(error).map((v) => ({ field: v.field, description: v.description, reason: v.reason ?? '' }));
  metadata.set(
    STATUS_DETAILS_KEY,
    encodeStatusDetails({
      code,
      message: error.message,
      errorDetail: {
        code: error.code,
        retriable: PLATFORM_ERROR_CODES[error.code]?.retriable ?? error.retriable ?? false,
        message: error.message,
        metadata: { ...detailsMetadata(error.details), ...(error.metadata ?? {}) },
        ...(error.retryAfterMs !== undefined ? { retryDelayMs: error.retryAfterMs } : {}),
      },
      fieldViolations,
    }),
  );
  return { code, details: error.message, metadata };
}

/** INTERNAL with an incident id: message, stack, details and driver errors stay in the log. */
function internalStatus(errorCode: string): MappedError {
  const metadata = new Metadata();
  const incidentId = randomUUID();
  const details = `internal error (incident ${incidentId})`;
  metadata.set(
    STATUS_DETAILS_KEY,
    encodeStatusDetails({ code: Status.INTERNAL, message: details, errorDetail: { code: errorCode, retriable: false, message: details, metadata: { incident_id: incidentId } }, fieldViolations: [] }),
  );
  return { code: Status.INTERNAL, details, metadata, incidentId };
}

const MAX_DETAIL_CHARS = 1024;

/**
 * DomainError.details (e.g. `{ streamId, expected, actual }`) as ErrorDetail metadata: strings,
 * numbers and booleans as text, lists of them comma-separated; nested objects (which may name
 * other streams) and `issues` (sent as BadRequest) are left out.
 */
function detailsMetadata(details: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(details ?? {})) {
    if (key === 'issues') continue;
    const text = isScalar(value) ? String(value) : Array.isArray(value) && value.every(isScalar) ? value.join(',') : undefined;
    if (text !== undefined) out[key] = text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS - 1)}…` : text;
  }
  return out;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** A status with a platform ErrorDetail (auth failures, deadlines), built without a domain error. */
export function platformStatus(code: Status, errorCode: string, message: string, retriable = false): StatusObject {
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, encodeStatusDetails({ code, message, errorDetail: { code: errorCode, retriable, message, metadata: {} }, fieldViolations: [] }));
  return { code, details: message, metadata };
}
