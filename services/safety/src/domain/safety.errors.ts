import { DomainError } from '@reflux/decider';

/** One problem with a request or document field; sent to gRPC clients as google.rpc.BadRequest. */
export interface FieldViolation {
  readonly field: string;
  readonly description: string;
}

export const SafetyErrorCode = {
  invalidRequest: 'SAFETY.INVALID_REQUEST',
  invalidConfiguration: 'SAFETY.INVALID_CONFIGURATION',
  alarmNotFound: 'SAFETY.ALARM_NOT_FOUND',
  plantNotFound: 'SAFETY.PLANT_NOT_FOUND',
  notAcknowledgeable: 'ALARM.NOT_ACKNOWLEDGEABLE',
  alreadyShelved: 'ALARM.ALREADY_SHELVED',
  shelved: 'ALARM.SHELVED',
  notShelved: 'ALARM.NOT_SHELVED',
  outOfService: 'ALARM.OUT_OF_SERVICE',
  notOutOfService: 'ALARM.NOT_OUT_OF_SERVICE',
  suppressedByDesign: 'ALARM.SUPPRESSED_BY_DESIGN',
  invalidShelf: 'ALARM.INVALID_SHELF',
  invalidComment: 'ALARM.INVALID_COMMENT',
  missingActor: 'ALARM.MISSING_ACTOR',
  configVersionConflict: 'SAFETY.CONFIGURATION_VERSION_CONFLICT',
  invalidMonitoringModel: 'MONITORING.INVALID_MODEL',
  monitoringModelNotFound: 'MONITORING.MODEL_NOT_FOUND',
  monitoringVersionConflict: 'MONITORING.VERSION_CONFLICT',
} as const;

export type SafetyErrorCode = (typeof SafetyErrorCode)[keyof typeof SafetyErrorCode];

type Kind = 'validation' | 'not-found' | 'conflict' | 'failed-precondition';

const KIND: Record<SafetyErrorCode, Kind> = {
  'SAFETY.INVALID_REQUEST': 'validation',
  'SAFETY.INVALID_CONFIGURATION': 'validation',
  'SAFETY.ALARM_NOT_FOUND': 'not-found',
  'SAFETY.PLANT_NOT_FOUND': 'not-found',
  'ALARM.NOT_ACKNOWLEDGEABLE': 'failed-precondition',
  'ALARM.ALREADY_SHELVED': 'failed-precondition',
  'ALARM.SHELVED': 'failed-precondition',
  'ALARM.NOT_SHELVED': 'failed-precondition',
  'ALARM.OUT_OF_SERVICE': 'failed-precondition',
  'ALARM.NOT_OUT_OF_SERVICE': 'failed-precondition',
  'ALARM.SUPPRESSED_BY_DESIGN': 'failed-precondition',
  'ALARM.INVALID_SHELF': 'validation',
  'ALARM.INVALID_COMMENT': 'validation',
  'ALARM.MISSING_ACTOR': 'validation',
  'SAFETY.CONFIGURATION_VERSION_CONFLICT': 'conflict',
  'MONITORING.INVALID_MODEL': 'validation',
  'MONITORING.MODEL_NOT_FOUND': 'not-found',
  'MONITORING.VERSION_CONFLICT': 'conflict',
};

/**
 * Every refusal of the safety service: a stable `code`, the gRPC `kind` and, for bad input, one
 * violation per offending field. None is retriable: the same command fails the same way again.
 */
export class SafetyError extends DomainError {
  readonly kind: Kind;
  readonly fieldViolations: readonly FieldViolation[];

  constructor(code: SafetyErrorCode, message: string, options: { violations?: readonly FieldViolation[]; cause?: unknown } = {}) {
    super(code, message, { cause: options.cause, details: { violations: options.violations ?? [] } });
    this.kind = KIND[code];
    this.fieldViolations = options.violations ?? [];
  }
}

export const invalidRequest = (violations: readonly FieldViolation[], code: SafetyErrorCode = SafetyErrorCode.invalidRequest): SafetyError =>
  new SafetyError(
    code,
    `invalid ${code === SafetyErrorCode.invalidConfiguration ? 'alarm configuration' : 'request'}: ${violations
      .slice(0, 5)
      .map((v) => `${v.field}: ${v.description}`)
      .join('; ')}${violations.length > 5 ? ` (+${violations.length - 5} more)` : ''}`,
    { violations },
  );
