import { DomainError } from '@reflux/decider';

/** One problem in a model or in solve options, located by a JSON-path-like `field`. */
export interface FieldViolation {
  readonly field: string;
  readonly description: string;
}

export const OptimizationErrorCode = {
  invalidModel: 'OPTIMIZATION.INVALID_MODEL',
  invalidOptions: 'OPTIMIZATION.INVALID_OPTIONS',
  solverFailed: 'OPTIMIZATION.SOLVER_FAILED',
  cancelled: 'OPTIMIZATION.CANCELLED',
  backendUnavailable: 'OPTIMIZATION.BACKEND_UNAVAILABLE',
} as const;

export type OptimizationErrorCode = (typeof OptimizationErrorCode)[keyof typeof OptimizationErrorCode];

/** Every optimisation failure carries a stable `code`; only a crashed solver worker is retriable. */
export class OptimizationError extends DomainError {
  readonly violations: readonly FieldViolation[];

  constructor(code: OptimizationErrorCode, message: string, options: { violations?: readonly FieldViolation[]; retriable?: boolean; cause?: unknown } = {}) {
    super(code, message, { retriable: options.retriable ?? false, details: { violations: options.violations ?? [] }, cause: options.cause });
    this.violations = options.violations ?? [];
  }
}

export function invalidModel(violations: readonly FieldViolation[]): OptimizationError {
  const summary = violations
    .slice(0, 5)
    .map((v) => `${v.field}: ${v.description}`)
    .join('; ');
  return new OptimizationError(OptimizationErrorCode.invalidModel, `invalid model: ${summary}${violations.length > 5 ? ` (+${violations.length - 5} more)` : ''}`, { violations });
}
