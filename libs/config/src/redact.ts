/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`; other strings unchanged. */
export function maskUrlCredentials(value: string): string {
  return value.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):([^@/?#\s]*)@/gi, '$1:***@');
}

const SECRET_KEY = /SECRET|PASSWORD|API_KEYS|TOKEN|PRIVATE/i;

/**
 * A copy of a loaded configuration that is safe to log at start: values of secret-looking keys
 * become `***` and URL credentials are masked.
 */
export function redactConfig<T extends Record<string, unknown>>(config: T): Record<keyof T, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if (SECRET_KEY.test(key)) out[key] = '***';
    else if (typeof value === 'string') out[key] = maskUrlCredentials(value);
    else out[key] = value;
  }
  return out as Record<keyof T, unknown>;
}
