/** Keys whose values never reach a log line, wherever they appear (pino `redact` paths). */
export const REDACTED_LOG_PATHS: readonly string[] = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["x-api-key"]',
  'metadata.authorization',
  'metadata["x-api-key"]',
  '*.metadata.authorization',
  '*.metadata["x-api-key"]',
];

const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):([^@/?#\s]*)@/gi;

/** `postgres://u:secret@h/db` → `postgres://u:***@h/db`. */
export function maskUrlPasswords(value: string): string {
  return value.includes('://') ? value.replace(URL_CREDENTIALS, '$1:***@') : value;
}

/**
 * Masks passwords in URLs found in string values of a log object, down to `depth` levels. Errors
 * are handled by pino's serializer; only plain objects and arrays are walked.
 */
export function maskUrlPasswordsDeep(value: unknown, depth = 3): unknown {
  if (typeof value === 'string') return maskUrlPasswords(value);
  if (depth <= 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskUrlPasswordsDeep(v, depth - 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  let changed: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    const masked = maskUrlPasswordsDeep(v, depth - 1);
    if (masked !== v) (changed ??= { ...(value as Record<string, unknown>) })[k] = masked;
  }
  return changed ?? value;
}
