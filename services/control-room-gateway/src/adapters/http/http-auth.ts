import { Metadata } from '@grpc/grpc-js';
import { AuthenticationError, hasAnyRole, type Authenticator, type Principal, type Role } from '@reflux/grpc';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GATEWAY_ERROR_CODES, GatewayError } from '../../domain/gateway.errors';
import type { Caller } from '../../application/snapshot-source.port';
import { parseCookies } from './http-io';

export const SESSION_COOKIE = 'reflux_session';
export const CSRF_COOKIE = 'reflux_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface Authenticated {
  readonly principal: Principal;
  readonly caller: Caller;
  /** The credential came from the session cookie (a browser): actions need the CSRF token too. */
  readonly viaCookie: boolean;
}

/**
 * HTTP authentication with the platform's authenticator (same JWTs, API keys and roles as gRPC):
 * `Authorization: Bearer <token>`, or the HttpOnly session cookie a browser got from
 * `POST /v1/session`. Cookie-authenticated actions need the double-submit CSRF token: the
 * `reflux_csrf` cookie echoed in the `X-CSRF-Token` header (a cross-site page can send the cookie
 * but cannot read it).
 */
export class HttpAuth {
  constructor(private readonly authenticator: Authenticator) {}

  authenticate(req: IncomingMessage): Authenticated {
    const header = req.headers.authorization;
    if (header !== undefined) return { ...this.verify(header), viaCookie: false };
    const session = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    if (session) return { ...this.verify(`Bearer ${session}`), viaCookie: true };
    if (this.authenticator.disabled) return { ...this.verify(undefined), viaCookie: false };
    throw new GatewayError(GATEWAY_ERROR_CODES.UNAUTHENTICATED, 'missing credentials: send "Authorization: Bearer <token>" or sign in with POST /v1/session');
  }

  /** Verifies a token for a new session. */
  verifyToken(token: string): Principal {
    return this.verify(`Bearer ${token}`).principal;
  }

  requireRole(auth: Authenticated, roles: readonly Role[], action: string): void {
    if (!hasAnyRole(auth.principal, roles))
      throw new GatewayError(GATEWAY_ERROR_CODES.PERMISSION_DENIED, `${action} needs one of the roles ${roles.join(', ')}; ${auth.principal.subject} has ${auth.principal.roles.join(', ') || 'none'}`);
  }

  requireCsrf(req: IncomingMessage, auth: Authenticated): void {
    if (!auth.viaCookie) return;
    const cookie = parseCookies(req.headers.cookie).get(CSRF_COOKIE) ?? '';
    const header = req.headers[CSRF_HEADER];
    const sent = typeof header === 'string' ? header : '';
    const a = Buffer.from(cookie);
    const b = Buffer.from(sent);
    if (cookie.length < 16 || a.length !== b.length || !timingSafeEqual(a, b))
      throw new GatewayError(GATEWAY_ERROR_CODES.CSRF_TOKEN_MISMATCH, `actions of a cookie session need the ${CSRF_HEADER} header equal to the ${CSRF_COOKIE} cookie`, [
        { field: CSRF_HEADER, description: sent ? 'does not match the session\'s CSRF token' : 'missing' },
      ]);
  }

  private verify(authorization: string | undefined): Omit<Authenticated, 'viaCookie'> {
    const metadata = new Metadata();
    if (authorization !== undefined) metadata.set('authorization', authorization);
    try {
      const principal = this.authenticator.authenticate(metadata);
      return { principal, caller: { subject: principal.subject, ...(authorization !== undefined && { authorization }) } };
    } catch (error) {
      if (error instanceof AuthenticationError) throw new GatewayError(GATEWAY_ERROR_CODES.UNAUTHENTICATED, error.message);
      throw error;
    }
  }
}

export const newCsrfToken = (): string => randomBytes(24).toString('base64url');

/** Seconds until the JWT's `exp` (from its verified payload), at most `capS`. */
export function sessionMaxAgeS(token: string, capS: number, nowMs = Date.now()): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    if (typeof payload.exp === 'number') return Math.max(0, Math.min(capS, Math.floor(payload.exp - nowMs / 1000)));
  } catch {
    // an API key: no expiry of its own
  }
  return capS;
}

export function cookie(name: string, value: string, options: { httpOnly: boolean; maxAgeS: number; secure: boolean }): string {
  return [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'SameSite=Strict', `Max-Age=${options.maxAgeS}`, ...(options.httpOnly ? ['HttpOnly'] : []), ...(options.secure ? ['Secure'] : [])].join('; ');
}
