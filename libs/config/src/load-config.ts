import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from './config.error';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates a configuration schema from the environment (by default `process.env`).
 * Returns the typed, frozen configuration or throws a `ConfigError` naming every bad variable.
 * Only the schema's keys are read; other variables are ignored.
 */
export function loadConfig<S extends z.ZodType<unknown, Record<string, string | undefined>>>(schema: S, env: Env = process.env): Readonly<z.output<S>> {
  const result = schema.safeParse({ ...env });
  if (result.success) return Object.freeze(result.data) as Readonly<z.output<S>>;
  throw new ConfigError(toIssues(result.error.issues));
}

function toIssues(issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const variable = issue.path.length > 0 ? issue.path.map(String).join('.') : '(configuration)';
    const message = issue.code === 'invalid_type' && issue.input === undefined ? 'required but not set' : issue.message;
    const key = `${variable}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ variable, message });
  }
  return out.sort((a, b) => a.variable.localeCompare(b.variable));
}

/**
 * Boot helper: loads the configuration or, on a `ConfigError`, writes the message to stderr and
 * exits with status 78 (EX_CONFIG), which Kubernetes shows as a crash loop with a readable reason.
 */
export function loadConfigOrExit<S extends z.ZodType<unknown, Record<string, string | undefined>>>(schema: S, env: Env = process.env): Readonly<z.output<S>> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), code: error.code, issues: error.issues, msg: error.message })}\n`);
      process.exit(78);
    }
    throw error;
  }
}
