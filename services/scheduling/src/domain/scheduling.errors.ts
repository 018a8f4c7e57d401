import { DomainError } from '@reflux/decider';

export interface FieldViolation {
  readonly field: string;
  readonly description: string;
}

export const SchedulingErrorCode = {
  invalidProblem: 'SCHEDULING.INVALID_PROBLEM',
  invalidRequest: 'SCHEDULING.INVALID_REQUEST',
  infeasible: 'SCHEDULING.INFEASIBLE',
  noSolution: 'SCHEDULING.NO_SOLUTION',
  plantNotFound: 'SCHEDULING.PLANT_NOT_FOUND',
  jobNotFound: 'SCHEDULING.JOB_NOT_FOUND',
  scheduleNotFound: 'SCHEDULING.SCHEDULE_NOT_FOUND',
  scheduleSuperseded: 'SCHEDULING.SCHEDULE_SUPERSEDED',
  optimizationRunning: 'SCHEDULING.OPTIMIZATION_RUNNING',
  jobFinished: 'SCHEDULING.JOB_FINISHED',
  requestIdReused: 'SCHEDULING.REQUEST_ID_REUSED',
} as const;

export type SchedulingErrorCode = (typeof SchedulingErrorCode)[keyof typeof SchedulingErrorCode];

type Kind = 'validation' | 'not-found' | 'already-exists' | 'conflict' | 'failed-precondition';

const KIND: Record<SchedulingErrorCode, Kind> = {
  'SCHEDULING.INVALID_PROBLEM': 'validation',
  'SCHEDULING.INVALID_REQUEST': 'validation',
  'SCHEDULING.INFEASIBLE': 'failed-precondition',
  'SCHEDULING.NO_SOLUTION': 'failed-precondition',
  'SCHEDULING.PLANT_NOT_FOUND': 'not-found',
  'SCHEDULING.JOB_NOT_FOUND': 'not-found',
  'SCHEDULING.SCHEDULE_NOT_FOUND': 'not-found',
  'SCHEDULING.SCHEDULE_SUPERSEDED': 'failed-precondition',
  // another optimisation of the plant holds its lock: try again once it has ended
  'SCHEDULING.OPTIMIZATION_RUNNING': 'conflict',
  'SCHEDULING.JOB_FINISHED': 'failed-precondition',
  'SCHEDULING.REQUEST_ID_REUSED': 'already-exists',
};

/** Every refusal of the scheduling service: a stable `code`, the gRPC `kind` and, for bad input, one violation per field. */
export class SchedulingError extends DomainError {
  readonly violations: readonly FieldViolation[];
  readonly kind: Kind;
  readonly fieldViolations: readonly FieldViolation[];

  constructor(code: SchedulingErrorCode, message: string, violations: readonly FieldViolation[] = [], retriable = false) {
    super(code, message, { retriable, details: { violations } });
    this.violations = violations;
    this.fieldViolations = violations;
    this.kind = KIND[code];
  }
}

function summary(violations: readonly FieldViolation[]): string {
  const text = violations
    .slice(0, 5)
    .map((v) => `${v.field}: ${v.description}`)
    .join('; ');
  return `${text}${violations.length > 5 ? ` (+${violations.length - 5} more)` : ''}`;
}

export function invalidProblem(violations: readonly FieldViolation[]): SchedulingError {
  return new SchedulingError(SchedulingErrorCode.invalidProblem, `invalid problem: ${summary(violations)}`, violations);
}

export function invalidRequest(violations: readonly FieldViolation[]): SchedulingError {
  return new SchedulingError(SchedulingErrorCode.invalidRequest, `invalid request: ${summary(violations)}`, violations);
}
