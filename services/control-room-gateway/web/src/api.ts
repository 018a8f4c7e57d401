/// <reference lib="dom" />
/** Calls to the gateway from the page: JSON, the session cookie, and the CSRF double-submit header on actions. */
export interface ApiError {
  status: number;
  code?: string;
  message: string;
}

export type Result<T> = { ok: true; body: T } | { ok: false; error: ApiError };

const csrfCookie = (): string | undefined =>
  document.cookie
    .split('; ')
    .find((c) => c.startsWith('reflux_csrf='))
    ?.slice('reflux_csrf='.length);

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<Result<T>> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const csrf = csrfCookie();
  if (init.method && init.method !== 'GET' && csrf) headers['x-csrf-token'] = decodeURIComponent(csrf);
  let res: Response;
  try {
    res = await fetch(path, { method: init.method ?? 'GET', headers, credentials: 'same-origin', ...(init.body !== undefined && { body: JSON.stringify(init.body) }) });
  } catch (error) {
    return { ok: false, error: { status: 0, message: `gateway unreachable: ${String(error)}` } };
  }
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { message: text };
  }
  if (res.ok) return { ok: true, body: body as T };
  return { ok: false, error: { status: res.status, code: body['code'] as string | undefined, message: String(body['message'] ?? res.statusText) } };
}

export interface Principal {
  subject: string;
  roles: string[];
}

export const canOperate = (p: Principal | undefined): boolean => !!p && p.roles.some((r) => r === 'operator' || r === 'admin');

/** A number for humans with its unit: 4 significant digits, whole numbers with separators from 10,000, exponent outside [1e-3, 1e9). */
export function fmt(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const text =
    abs !== 0 && (abs >= 1e9 || abs < 1e-3)
      ? value.toExponential(3)
      : abs >= 9999.5
        ? Math.round(value).toLocaleString('en-GB')
        : value.toPrecision(4).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  return `${text} ${unit}`;
}
