import { DomainError } from '@reflux/decider';

export interface FieldViolation {
  readonly field: string;
  readonly description: string;
}

export const SchedulingErrorCode = {
  invalidProblem: 'SCHEDULING.INVALID_PROBLEM',
  infeasible: 'SCHEDULING.INFEASIBLE',
  noSolution: 'SCHEDULING.NO_SOLUTION',
} as const;

export type SchedulingErrorCode = (typeof SchedulingErrorCode)[keyof typeof SchedulingErrorCode];

export class SchedulingError extends DomainError {
  readonly violations: readonly FieldViolation[];

  constructor(code: SchedulingErrorCode, message: string, violations: readonly FieldViolation[] = []) {
    super(code, message, { retriable: false, details: { violations } });
    this.violations = violations;
  }
}

export function invalidProblem(violations: readonly FieldViolation[]): SchedulingError {
  const summary = violations
    .slice(0, 5)
    .map((v) => `${v.field}: ${v.description}`)
    .join('; ');
  return new SchedulingError(SchedulingErrorCode.invalidProblem, `invalid problem: ${summary}${violations.length > 5 ? ` (+${violations.length - 5} more)` : ''}`, violations);
}
