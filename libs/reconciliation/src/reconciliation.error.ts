import { DomainError } from '@reflux/decider';

/** One problem in a network document or model, located by a JSON-path-like `field`. */
export interface FieldViolation {
  readonly field: string;
  readonly description: string;
}

export const ReconciliationErrorCode = {
  invalidNetwork: 'RECONCILIATION.INVALID_NETWORK',
  invalidOptions: 'RECONCILIATION.INVALID_OPTIONS',
  singularSystem: 'RECONCILIATION.SINGULAR_SYSTEM',
  infeasibleBounds: 'RECONCILIATION.INFEASIBLE_BOUNDS',
  solverFailed: 'RECONCILIATION.SOLVER_FAILED',
  notConverged: 'RECONCILIATION.NOT_CONVERGED',
  outOfRange: 'RECONCILIATION.OUT_OF_RANGE',
} as const;

export type ReconciliationErrorCode = (typeof ReconciliationErrorCode)[keyof typeof ReconciliationErrorCode];

/** Every reconciliation failure: a stable `code`, never retriable (same input, same answer). */
export class ReconciliationError extends DomainError {
  readonly violations: readonly FieldViolation[];

  constructor(code: ReconciliationErrorCode, message: string, violations: readonly FieldViolation[] = []) {
    super(code, message, { retriable: false, details: { violations } });
    this.violations = violations;
  }
}

export function invalidNetwork(violations: readonly FieldViolation[]): ReconciliationError {
  const summary = violations
    .slice(0, 5)
    .map((v) => `${v.field}: ${v.description}`)
    .join('; ');
  return new ReconciliationError(ReconciliationErrorCode.invalidNetwork, `invalid network: ${summary}${violations.length > 5 ? ` (+${violations.length - 5} more)` : ''}`, violations);
}
