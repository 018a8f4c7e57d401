import { DomainError } from '@reflux/decider';

/** One field that failed validation: a dotted path into the event (`data.window.end`) and why. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Raised when an integration event does not satisfy its contract. Not retriable (sending the same
 * bytes again cannot make them valid, so consumers dead-letter such a message at once), except
 * `CONTRACTS.SCHEMA_VERSION_AHEAD`: the event is fine, this build is too old to read it, and a
 * consumer holds it until a build that knows the version takes over.
 */
export class ContractError extends DomainError {
  readonly issues: readonly FieldIssue[];

  constructor(code: string, message: string, issues: readonly FieldIssue[] = []) {
    const detail = issues.length ? `: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}` : '';
    super(code, `${message}${detail}`, { retriable: code === CONTRACT_ERROR_CODES.SCHEMA_VERSION_AHEAD, details: { issues } });
    this.issues = issues;
  }
}

export const CONTRACT_ERROR_CODES = {
  /** The envelope or its payload fails the schema of the event type and version it claims. */
  INVALID_EVENT: 'CONTRACTS.INVALID_EVENT',
  /** The event type is not in the registry. */
  UNKNOWN_EVENT_TYPE: 'CONTRACTS.UNKNOWN_EVENT_TYPE',
  /** The schema version is not a version of the type (below 1, not an integer). */
  UNSUPPORTED_SCHEMA_VERSION: 'CONTRACTS.UNSUPPORTED_SCHEMA_VERSION',
  /**
   * The schema version is newer than this build knows (a producer deployed before its consumers).
   * Retriable: consumers hold the event and report it until a newer build reads it.
   */
  SCHEMA_VERSION_AHEAD: 'CONTRACTS.SCHEMA_VERSION_AHEAD',
  /** The registry itself is mis-declared (duplicate type, version gap). A programming error. */
  INVALID_REGISTRY: 'CONTRACTS.INVALID_REGISTRY',
} as const;

export function isContractError(error: unknown): error is ContractError {
  return error instanceof ContractError || (typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' && (error as { code: string }).code.startsWith('CONTRACTS.'));
}
