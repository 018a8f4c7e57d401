import { DomainError } from '@reflux/decider';

/** One problem in a data set, model document, sample or option, located by a JSON-path-like `field`. */
export interface FieldViolation {
  readonly field: string;
  readonly description: string;
}

export const MonitoringErrorCode = {
  invalidData: 'MONITORING.INVALID_DATA',
  invalidOptions: 'MONITORING.INVALID_OPTIONS',
  invalidModel: 'MONITORING.INVALID_MODEL',
  invalidSample: 'MONITORING.INVALID_SAMPLE',
} as const;

export type MonitoringErrorCode = (typeof MonitoringErrorCode)[keyof typeof MonitoringErrorCode];

/** Every monitoring failure: a stable `code` and field-level `violations`; never retriable (same input, same answer). */
export class MonitoringError extends DomainError {
  readonly violations: readonly FieldViolation[];

  constructor(code: MonitoringErrorCode, message: string, violations: readonly FieldViolation[] = []) {
    const summary = violations
      .slice(0, 5)
      .map((v) => `${v.field}: ${v.description}`)
      .join('; ');
    const more = violations.length > 5 ? ` (+${violations.length - 5} more)` : '';
    super(code, summary ? `${message}: ${summary}${more}` : message, { retriable: false, details: { violations } });
    this.violations = violations;
  }
}

export function failIfAny(code: MonitoringErrorCode, message: string, violations: readonly FieldViolation[]): void {
  if (violations.length > 0) throw new MonitoringError(code, message, violations);
}
