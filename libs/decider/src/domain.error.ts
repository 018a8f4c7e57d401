/**
 * Root of Reflux's own errors. `code` is a stable string (`ALARM.ALREADY_SHELVED`) because
 * `instanceof` does not survive a process boundary; `retriable` says whether doing the same thing
 * again may succeed (a version conflict: yes; an invalid command: no). Retry helpers read only that
 * flag.
 */
export class DomainError extends Error {
  readonly code: string;
  readonly retriable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, options: { retriable?: boolean; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.details = options.details ?? {};
  }
}

/** True for any error carrying a string `code`, whether or not it crossed a process boundary. */
export function hasErrorCode(error: unknown, code?: string): error is { code: string; message: string } {
  if (typeof error !== 'object' || error === null) return false;
  const value = (error as { code?: unknown }).code;
  return typeof value === 'string' && (code === undefined || value === code);
}

/** True when the error says that trying again may succeed (`retriable: true`). */
export function isRetriable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === true;
}
