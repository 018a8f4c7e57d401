import { DomainError } from '@reflux/decider';

/** One problem with a request or document field; sent to gRPC clients as google.rpc.BadRequest. */
export interface FieldViolation {
  readonly field: string;
  readonly description: string;
}

export const BalancingErrorCode = {
  invalidRequest: 'BALANCING.INVALID_REQUEST',
  unknownPlant: 'BALANCING.PLANT_NOT_FOUND',
  balanceNotFound: 'BALANCING.BALANCE_NOT_FOUND',
  unknownUnit: 'BALANCING.UNIT_NOT_FOUND',
  windowMismatch: 'BALANCING.WINDOW_CONFLICT',
  noMeasurements: 'BALANCING.NO_MEASUREMENTS',
  historyUnavailable: 'BALANCING.HISTORY_UNAVAILABLE',
  ambiguousWindow: 'BALANCING.AMBIGUOUS_WINDOW',
} as const;

export type BalancingErrorCode = (typeof BalancingErrorCode)[keyof typeof BalancingErrorCode];

type Kind = 'validation' | 'not-found' | 'conflict' | 'failed-precondition' | 'unavailable';

const KIND: Record<BalancingErrorCode, Kind> = {
  'BALANCING.INVALID_REQUEST': 'validation',
  'BALANCING.PLANT_NOT_FOUND': 'not-found',
  'BALANCING.BALANCE_NOT_FOUND': 'not-found',
  'BALANCING.UNIT_NOT_FOUND': 'not-found',
  'BALANCING.WINDOW_CONFLICT': 'conflict',
  'BALANCING.NO_MEASUREMENTS': 'failed-precondition',
  'BALANCING.HISTORY_UNAVAILABLE': 'unavailable',
  'BALANCING.AMBIGUOUS_WINDOW': 'failed-precondition',
};

/**
 * Every failure of the balancing service: a stable `code`, `retriable` (only an unreachable history
 * is worth retrying), the gRPC `kind` and, for bad input, one violation per offending field.
 */
export class BalancingError extends DomainError {
  readonly kind: Kind;
  readonly fieldViolations: readonly FieldViolation[];

  constructor(code: BalancingErrorCode, message: string, options: { violations?: readonly FieldViolation[]; cause?: unknown } = {}) {
    const retriable = code === BalancingErrorCode.historyUnavailable;
    super(code, message, { retriable, cause: options.cause, details: { violations: options.violations ?? [] } });
    this.kind = KIND[code];
    this.fieldViolations = options.violations ?? [];
  }
}

export const invalidRequest = (violations: readonly FieldViolation[]): BalancingError =>
  new BalancingError(
    BalancingErrorCode.invalidRequest,
    `invalid request: ${violations
      .slice(0, 5)
      .map((v) => `${v.field}: ${v.description}`)
      .join('; ')}${violations.length > 5 ? ` (+${violations.length - 5} more)` : ''}`,
    { violations },
  );
