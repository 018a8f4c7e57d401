/** A field of a request and what is wrong with it. */
export interface FieldViolation {
  readonly field: string;
  readonly description: string;
}

export const GATEWAY_ERROR_CODES = {
  INVALID_ARGUMENT: 'GATEWAY.INVALID_ARGUMENT',
  UNAUTHENTICATED: 'GATEWAY.UNAUTHENTICATED',
  PERMISSION_DENIED: 'GATEWAY.PERMISSION_DENIED',
  CSRF_TOKEN_MISMATCH: 'GATEWAY.CSRF_TOKEN_MISMATCH',
  NOT_FOUND: 'GATEWAY.NOT_FOUND',
  RESUME_POSITION_UNKNOWN: 'GATEWAY.RESUME_POSITION_UNKNOWN',
  SERVICE_NOT_AVAILABLE: 'GATEWAY.SERVICE_NOT_AVAILABLE',
  UPSTREAM_FAILED: 'GATEWAY.UPSTREAM_FAILED',
} as const;

export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[keyof typeof GATEWAY_ERROR_CODES];

/** HTTP status of each code (the gRPC status names the same class of failure). */
const HTTP_STATUS: Record<GatewayErrorCode, { http: number; grpc: string }> = {
  'GATEWAY.INVALID_ARGUMENT': { http: 400, grpc: 'INVALID_ARGUMENT' },
  'GATEWAY.UNAUTHENTICATED': { http: 401, grpc: 'UNAUTHENTICATED' },
  'GATEWAY.PERMISSION_DENIED': { http: 403, grpc: 'PERMISSION_DENIED' },
  'GATEWAY.CSRF_TOKEN_MISMATCH': { http: 403, grpc: 'PERMISSION_DENIED' },
  'GATEWAY.NOT_FOUND': { http: 404, grpc: 'NOT_FOUND' },
  'GATEWAY.RESUME_POSITION_UNKNOWN': { http: 410, grpc: 'OUT_OF_RANGE' },
  'GATEWAY.SERVICE_NOT_AVAILABLE': { http: 503, grpc: 'UNAVAILABLE' },
  'GATEWAY.UPSTREAM_FAILED': { http: 502, grpc: 'UNAVAILABLE' },
};

/** Error of the gateway with a stable code, a safe message and field-level detail. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    readonly violations: readonly FieldViolation[] = [],
    /** Overrides the code's default HTTP status (an upstream gRPC status mapped through). */
    readonly httpStatusOverride?: number,
    readonly grpcStatusOverride?: string,
  ) {
    super(message);
  }

  get httpStatus(): number {
    return this.httpStatusOverride ?? HTTP_STATUS[this.code].http;
  }

  get grpcStatus(): string {
    return this.grpcStatusOverride ?? HTTP_STATUS[this.code].grpc;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, status: this.grpcStatus, message: this.message, ...(this.violations.length > 0 && { violations: this.violations }) };
  }
}

export const invalid = (violations: readonly FieldViolation[]): GatewayError =>
  new GatewayError(GATEWAY_ERROR_CODES.INVALID_ARGUMENT, violations.map((v) => `${v.field}: ${v.description}`).join('; '), violations);
