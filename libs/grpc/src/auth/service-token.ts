import jwt from 'jsonwebtoken';
import { maxTokenLifetimeSeconds, parseJwtConfig, type JwtConfig, type JwtConfigInput } from '../server/grpc-platform.config';
import { type Role } from './roles';

export interface ServiceTokenOptions {
  /** Lifetime in seconds (default 300, a call's worth); at most the configuration's lifetime cap. */
  readonly ttlSeconds?: number;
}

/** Why no token can be minted from a configuration. */
export class TokenMintingError extends Error {
  override readonly name = 'TokenMintingError';
}

/**
 * Mints the bearer token of a service (e.g. balancing calling ingestion) or of the CLI from the
 * same JWT configuration the servers verify with, so that what one mints the other accepts: HS256
 * with the first (current) secret, `iss` and `aud` as configured, `iat`, `exp` within the lifetime
 * cap, `sub` and `roles`. With identity-provider public keys only there is nothing to sign with:
 * such deployments give the caller a token from the identity provider instead.
 */
export function createServiceToken(config: JwtConfig | JwtConfigInput, subject: string, roles: readonly Role[], options: ServiceTokenOptions = {}): string {
  const jwtConfig = parseJwtConfig(config);
  const secret = jwtConfig.hs256Secrets[0];
  if (secret === undefined) {
    throw new TokenMintingError('cannot mint a token: the JWT configuration has no HS256 secret (only identity-provider public keys); give the caller a token from the identity provider');
  }
  const ttlSeconds = options.ttlSeconds ?? 300;
  const cap = maxTokenLifetimeSeconds(jwtConfig);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > cap) {
    throw new TokenMintingError(`cannot mint a token living ${ttlSeconds} s: servers accept at most ${cap} s (AUTH_JWT_MAX_TOKEN_LIFETIME_S)`);
  }
  const audience = jwtConfig.audience === undefined ? undefined : typeof jwtConfig.audience === 'string' ? jwtConfig.audience : jwtConfig.audience[0];
  return jwt.sign({ [jwtConfig.rolesClaim]: [...roles] }, secret, {
    algorithm: 'HS256',
    subject,
    expiresIn: ttlSeconds,
    ...(jwtConfig.issuer ? { issuer: jwtConfig.issuer } : {}),
    ...(audience ? { audience } : {}),
  });
}
