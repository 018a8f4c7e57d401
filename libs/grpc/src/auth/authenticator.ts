import { type Metadata } from '@grpc/grpc-js';
import { type AuthConfig } from '../server/grpc-platform.config';
import { ApiKeyVerifier } from './api-key';
import { JwtVerifier, TokenRejectedError } from './jwt.verifier';
import { ROLES, type Principal } from './roles';

/** The caller could not be authenticated; `reason` is safe to send back. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Turns call metadata into a Principal. Credentials: `authorization: Bearer <jwt|api-key>` or
 * `x-api-key: <api-key>`. A bearer value shaped like a JWT is verified as one, anything else as an
 * API key.
 */
export class Authenticator {
  private readonly jwt?: JwtVerifier;
  private readonly apiKeys: ApiKeyVerifier;

  constructor(private readonly config: AuthConfig) {
    this.jwt = config.jwt ? new JwtVerifier(config.jwt) : undefined;
    this.apiKeys = new ApiKeyVerifier(config.apiKeys);
  }

  get disabled(): boolean {
    return this.config.disabled;
  }

  authenticate(metadata: Metadata): Principal {
    if (this.config.disabled) return { subject: 'anonymous', roles: ROLES, authenticatedBy: 'auth-disabled' };
    const credential = credentialFrom(metadata);
    if (credential === undefined) throw new AuthenticationError('missing credentials: send "authorization: Bearer <token>"');
    if (JWT_SHAPE.test(credential)) {
      if (!this.jwt) throw new AuthenticationError('JWT authentication is not configured on this server');
      try {
        return this.jwt.verify(credential);
      } catch (error) {
        if (error instanceof TokenRejectedError) throw new AuthenticationError(error.message);
        throw error;
      }
    }
    const principal = this.apiKeys.verify(credential);
    if (!principal) throw new AuthenticationError('unknown API key');
    return principal;
  }
}

function credentialFrom(metadata: Metadata): string | undefined {
  const authorization = metadata.get('authorization')[0];
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw new AuthenticationError('authorization metadata must be "Bearer <token>"');
    return match[1];
  }
  const apiKey = metadata.get('x-api-key')[0];
  return typeof apiKey === 'string' && apiKey.length > 0 ? apiKey : undefined;
}
