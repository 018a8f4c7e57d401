import { DomainError } from '@reflux/decider';

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

export class SupplyChainError extends DomainError {
  readonly violations: readonly FieldViolation[];

  constructor(code: SupplyChainErrorCode, message: string, violations: readonly FieldViolation[] = [], details: Record<string, unknown> = {}) {
    super(code, message, { retriable: false, details: { ...details, violations } });
    this.violations = violations;
  }
}

export function invalid(code: SupplyChainErrorCode, what: string, violations: readonly FieldViolation[]): SupplyChainError {
  const summary = violations
    .slice(0, 5)
    .map((v) => `${v.field}: ${v.description}`)
    .join('; ');
  return new SupplyChainError(code, `invalid ${what}: ${summary}${violations.length > 5 ? ` (+${violations.length - 5} more)` : ''}`, violations);
}
