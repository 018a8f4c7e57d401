/**
 * The shape of errors the platform maps to gRPC statuses. Structural on purpose: `instanceof` does
 * not survive package duplication or process boundaries, so any error carrying a stable string
 * `code` of the form `SERVICE.REASON` (e.g. `INGESTION.TAG_NOT_FOUND`, `CONTRACTS.INVALID_EVENT`)
 * counts as a domain error. Errors without such a code (bugs, driver errors like `ECONNRESET` or
 * SQLSTATE `23505`) are internal: their message never leaves the server.
 */
export interface DomainErrorLike {
  readonly code: string;
  readonly message: string;
  /** True when repeating the same request later may succeed. */
  readonly retriable?: boolean;
  /** Explicit classification; when absent it is inferred from the code and the fields below. */
  readonly kind?: DomainErrorKind;
  /** Field-level violations (sent as google.rpc.BadRequest). */
  readonly fieldViolations?: readonly FieldViolation[];
  /** Same as fieldViolations, in the `{ path, message }` form of @reflux/contracts' ContractError. */
  readonly issues?: readonly { readonly path: string; readonly message: string }[];
  /** Context of @reflux/decider's DomainError (e.g. expected/actual version); scalars sent in ErrorDetail.metadata. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Context for clients (identifiers, limits); sent in ErrorDetail.metadata. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Retry hint for retriable errors, in milliseconds. */
  readonly retryAfterMs?: number;
}

export interface FieldViolation {
  /** Dotted path to the request field, e.g. `samples[3].value`. */
  readonly field: string;
  readonly description: string;
  /** Optional machine-readable reason, e.g. `OUT_OF_RANGE`. */
  readonly reason?: string;
}

export type DomainErrorKind =
  | 'validation'
  | 'not-found'
  | 'already-exists'
  | 'conflict'
  | 'failed-precondition'
  | 'out-of-range'
  | 'unauthenticated'
  | 'permission-denied'
  | 'resource-exhausted'
  | 'unavailable'
  | 'deadline-exceeded'
  | 'unimplemented'
  | 'internal';

const DOMAIN_CODE = /^[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)+$/;

export function isDomainErrorLike(error: unknown): error is DomainErrorLike {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && DOMAIN_CODE.test(code) && typeof message === 'string';
}

/** A ready-made domain error for code that has no error root of its own. */
export class PlatformDomainError extends Error implements DomainErrorLike {
  override readonly name = 'PlatformDomainError';
  readonly retriable: boolean;
  readonly kind?: DomainErrorKind;
  readonly fieldViolations?: readonly FieldViolation[];
  readonly metadata?: Readonly<Record<string, string>>;
  readonly retryAfterMs?: number;

  constructor(
    readonly code: string,
    message: string,
    options: { retriable?: boolean; kind?: DomainErrorKind; fieldViolations?: readonly FieldViolation[]; metadata?: Record<string, string>; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.retriable = options.retriable ?? false;
    this.kind = options.kind;
    this.fieldViolations = options.fieldViolations;
    this.metadata = options.metadata;
    this.retryAfterMs = options.retryAfterMs;
  }
}
