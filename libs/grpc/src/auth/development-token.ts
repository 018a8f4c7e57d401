import jwt from 'jsonwebtoken';
import { type Role } from './roles';

export interface DevelopmentTokenOptions {
  /** Lifetime in seconds (default 12 h). */
  readonly ttlSeconds?: number;
  readonly issuer?: string;
  readonly audience?: string;
}

/**
 * Mints an HS256 JWT for local development and tests, accepted by a server whose
 * `auth.jwt.hs256Secrets` contains `secret`. The embedded default prints one at start-up so nothing
 * has to run unauthenticated.
 */
export function createDevelopmentToken(secret: string, roles: readonly Role[], subject: string, options: DevelopmentTokenOptions = {}): string {
  return jwt.sign({ roles: [...roles] }, secret, {
    algorithm: 'HS256',
    subject,
    expiresIn: options.ttlSeconds ?? 12 * 3600,
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
  });
}
