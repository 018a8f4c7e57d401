import { z } from 'zod';

/** Outcome of parsing one raw environment value. */
export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly expected: string };

export const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
export const fail = (expected: string): ParseResult<never> => ({ ok: false, expected });

/** A schema for one environment variable: input is the raw string (or absent), output the typed value. */
export type EnvVariable<T> = z.ZodType<T, string | undefined>;

export interface VariableOptions {
  /** Never echo the raw value in an error message (passwords, keys). */
  readonly secret?: boolean;
  /** How to echo a rejected raw value (default: JSON-quoted as is; `secret` hides it). */
  readonly show?: (raw: string) => string;
  /** Shown in messages and the generated docs. */
  readonly description?: string;
}

/**
 * Builds the schema of one variable. An empty or whitespace-only value counts as unset, so
 * `FOO=` in a compose file behaves like an absent variable. Messages read
 * `expected an integer 1..65535, got "abc"` and are prefixed with the variable name by `loadConfig`.
 */
export function variable<T>(
  expected: string,
  parse: (raw: string) => ParseResult<T>,
  presence: { readonly kind: 'required' } | { readonly kind: 'optional' } | { readonly kind: 'default'; readonly value: T },
  options: VariableOptions = {},
): EnvVariable<T> {
  const schema = z
    .string({ error: () => `expected ${expected} as a string` })
    .optional()
    .transform((raw, ctx): T => {
      const value = raw?.trim();
      if (value === undefined || value === '') {
        if (presence.kind === 'default') return presence.value;
        if (presence.kind === 'optional') return undefined as T;
        ctx.addIssue({ code: 'custom', message: `required but not set (expected ${expected})` });
        return z.NEVER;
      }
      const result = parse(value);
      if (result.ok) return result.value;
      ctx.addIssue({ code: 'custom', message: `expected ${result.expected}, got ${options.secret ? showSecret(value) : JSON.stringify(options.show ? options.show(value) : value)}` });
      return z.NEVER;
    });
  return (options.description ? schema.describe(options.description) : schema) as unknown as EnvVariable<T>;
}

function showSecret(value: string): string {
  return `a value of ${value.length} characters (hidden)`;
}
