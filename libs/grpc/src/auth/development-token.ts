import jwt from 'jsonwebtoken';
import { type Role } from './roles';

export interface DevelopmentTokenOptions {
  /** Lifetime in seconds (default 12 h). */
  readonly ttlSeconds?: number;
  readonly issuer?: string;
  readonly audience?: string;
}

/**
 * Mints an HS256 JWT for tests, accepted by a server whose `auth.jwt.hs256Secrets` contains
 * `secret` and that is marked `development` (no iss/aud required) or expects the given
 * issuer/audience. Services, the CLI and the launcher mint with createServiceToken, from the
 * same configuration the servers verify with.
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
