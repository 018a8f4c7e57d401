import { DomainError } from '@reflux/decider';

/** The gRPC kinds of @reflux/grpc's DomainErrorLike that these errors use. */

export interface FieldViolation {
  readonly field: string;
  readonly description: string;
}

export const SupplyChainErrorCode = {
  invalidNetwork: 'SUPPLY_CHAIN.INVALID_NETWORK',
  invalidOrder: 'SUPPLY_CHAIN.INVALID_ORDER',
  orderNotFound: 'SUPPLY_CHAIN.ORDER_NOT_FOUND',
  orderConflict: 'SUPPLY_CHAIN.ORDER_CONFLICT',
  infeasible: 'SUPPLY_CHAIN.INFEASIBLE',
  noSolution: 'SUPPLY_CHAIN.NO_SOLUTION',
  noAllocation: 'SUPPLY_CHAIN.NO_ALLOCATION',
  invalidDisruption: 'SUPPLY_CHAIN.INVALID_DISRUPTION',
} as const;

export type SupplyChainErrorCode = (typeof SupplyChainErrorCode)[keyof typeof SupplyChainErrorCode];

type Kind = 'validation' | 'not-found' | 'already-exists' | 'failed-precondition';

const KIND: Record<SupplyChainErrorCode, Kind> = {
  'SUPPLY_CHAIN.INVALID_NETWORK': 'validation',
  'SUPPLY_CHAIN.INVALID_ORDER': 'validation',
  'SUPPLY_CHAIN.ORDER_NOT_FOUND': 'not-found',
  'SUPPLY_CHAIN.ORDER_CONFLICT': 'already-exists',
  'SUPPLY_CHAIN.INFEASIBLE': 'failed-precondition',
  'SUPPLY_CHAIN.NO_SOLUTION': 'failed-precondition',
  'SUPPLY_CHAIN.NO_ALLOCATION': 'not-found',
  'SUPPLY_CHAIN.INVALID_DISRUPTION': 'validation',
};

/** Errors with a stable code, a gRPC kind and field-level violations (sent as google.rpc.BadRequest). */
export class SupplyChainError extends DomainError {
  readonly violations: readonly FieldViolation[];
  readonly fieldViolations: readonly FieldViolation[];
  readonly kind: Kind;

  constructor(code: SupplyChainErrorCode, message: string, violations: readonly FieldViolation[] = [], details: Record<string, unknown> = {}) {
    super(code, message, { retriable: false, details: { ...details, violations } });
    this.violations = violations;
    this.fieldViolations = violations;
    this.kind = KIND[code];
  }
}

export function invalid(code: SupplyChainErrorCode, what: string, violations: readonly FieldViolation[]): SupplyChainError {
  const summary = violations
    .slice(0, 5)
    .map((v) => `${v.field}: ${v.description}`)
    .join('; ');
  return new SupplyChainError(code, `invalid ${what}: ${summary}${violations.length > 5 ? ` (+${violations.length - 5} more)` : ''}`, violations);
}
