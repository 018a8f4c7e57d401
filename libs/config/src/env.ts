import { isAbsolute } from 'node:path';
import { type EnvVariable, type ParseResult, type VariableOptions, fail, ok, variable } from './env-variable';
import { maskUrlCredentials } from './redact';

type Presence<T> = { optional: true; default?: undefined } | { optional?: false; default?: T };
type Out<T, P> = [P] extends [{ optional: true }] ? T | undefined : T;

function presenceOf<T>(p: Presence<T> | undefined): Parameters<typeof variable<T>>[2] {
  if (p?.optional) return { kind: 'optional' };
  if (p && p.default !== undefined) return { kind: 'default', value: p.default };
  return { kind: 'required' };
}

type Opts<T> = Presence<T> & VariableOptions;

/** Integer within [min, max] (inclusive). */
export function int<P extends Opts<number>>(range: { min: number; max: number }, options?: P): EnvVariable<Out<number, P>> {
  const expected = `an integer ${range.min}..${range.max}`;
  return variable(expected, (raw) => {
    if (!/^[+-]?\d+$/.test(raw)) return fail(expected);
    const n = Number(raw);
    return Number.isSafeInteger(n) && n >= range.min && n <= range.max ? ok(n) : fail(expected);
  }, presenceOf(options), options) as EnvVariable<Out<number, P>>;
}

/** TCP port 1..65535 (or 0..65535 with `allowZero`, where 0 means "disabled"). */
export function port<P extends Opts<number>>(options?: P & { allowZero?: boolean }): EnvVariable<Out<number, P>> {
  return int({ min: options?.allowZero ? 0 : 1, max: 65535 }, options);
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** Boolean: true/false, 1/0, yes/no, on/off (case-insensitive). */
export function bool<P extends Opts<boolean>>(options?: P): EnvVariable<Out<boolean, P>> {
  const expected = 'a boolean (true/false, 1/0, yes/no, on/off)';
  return variable(expected, (raw) => {
    const v = raw.toLowerCase();
    if (TRUE.has(v)) return ok(true);
    if (FALSE.has(v)) return ok(false);
    return fail(expected);
  }, presenceOf(options), options) as EnvVariable<Out<boolean, P>>;
}

/** One of a fixed set of strings (case-sensitive). */
export function oneOf<const V extends readonly string[], P extends Opts<V[number]>>(values: V, options?: P): EnvVariable<Out<V[number], P>> {
  const expected = `one of ${values.join(' | ')}`;
  return variable(expected, (raw) => ((values as readonly string[]).includes(raw) ? ok(raw as V[number]) : fail(expected)), presenceOf(options), options) as EnvVariable<Out<V[number], P>>;
}

/** Free text, optionally constrained by a pattern and a minimum length. */
export function text<P extends Opts<string>>(options?: P & { pattern?: RegExp; patternName?: string; minLength?: number }): EnvVariable<Out<string, P>> {
  const parts = ['a string'];
  if (options?.minLength) parts.push(`of at least ${options.minLength} characters`);
  if (options?.pattern) parts.push(`matching ${options.patternName ?? String(options.pattern)}`);
  const expected = parts.join(' ');
  return variable(expected, (raw) => {
    if (options?.minLength && raw.length < options.minLength) return fail(expected);
    if (options?.pattern && !options.pattern.test(raw)) return fail(expected);
    return ok(raw);
  }, presenceOf(options), options) as EnvVariable<Out<string, P>>;
}

/** Absolute path of a file (existence is checked by whoever reads it, at start). */
export function filePath<P extends Opts<string>>(options?: P): EnvVariable<Out<string, P>> {
  const expected = 'an absolute file path';
  return variable(expected, (raw) => (isAbsolute(raw) ? ok(raw) : fail(expected)), presenceOf(options), options) as EnvVariable<Out<string, P>>;
}

/** A URL whose scheme is one of `protocols` (without the colon). Credentials are masked in errors. */
export function url<P extends Opts<string>>(protocols: readonly string[], options?: P): EnvVariable<Out<string, P>> {
  const expected = `a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`;
  const parse = (raw: string): ParseResult<string> => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      return fail(expected);
    }
    return protocols.includes(parsed.protocol.replace(/:$/, '')) && parsed.host !== '' ? ok(raw) : fail(expected);
  };
  // A URL with a password is echoed masked rather than hidden entirely: the host is what helps.
  return variable(expected, parse, presenceOf(options), { ...options, show: maskUrlCredentials }) as EnvVariable<Out<string, P>>;
}

/** Comma-separated list; each item trimmed, empty items ignored, validated by `item`. */
export function list<P extends Opts<string[]>>(item: { expected: string; test: (s: string) => boolean }, options?: P & { minItems?: number }): EnvVariable<Out<string[], P>> {
  const min = options?.minItems ?? 1;
  const expected = `a comma-separated list of ${item.expected}`;
  return variable(expected, (raw) => {
    const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const bad = items.filter((s) => !item.test(s));
    if (bad.length > 0) return fail(`${expected} (bad item${bad.length > 1 ? 's' : ''}: ${bad.map((b) => JSON.stringify(b)).join(', ')})`);
    if (items.length < min) return fail(`${expected} with at least ${min} item${min > 1 ? 's' : ''}`);
    return ok(items);
  }, presenceOf(options), options) as EnvVariable<Out<string[], P>>;
}

/** Builders for environment variables, used in config schemas: `GRPC_PORT: env.port({ default: 50051 })`. */
export const env = { int, port, bool, oneOf, text, filePath, url, list } as const;
