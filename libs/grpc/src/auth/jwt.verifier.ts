import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import jwt, { type Algorithm, type JwtPayload } from 'jsonwebtoken';
import { maxTokenLifetimeSeconds, type JwtConfig } from '../server/grpc-platform.config';
import { isRole, type Principal } from './roles';

interface VerificationKey {
  readonly kid?: string;
  readonly key: string | KeyObject;
  readonly algorithms: Algorithm[];
}

/** Why a token was refused; the message is safe to return to the caller. */
export class TokenRejectedError extends Error {
  override readonly name = 'TokenRejectedError';
}

function algorithmsFor(key: KeyObject): Algorithm[] {
  if (key.asymmetricKeyType === 'rsa') return ['RS256'];
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return ['ES256'];
  throw new Error(`unsupported JWT public key type ${key.asymmetricKeyType} (use RSA or EC P-256)`);
}

/**
 * Verifies signed JWTs: HS256 against configured secrets, RS256/ES256 against configured public
 * keys. Each key accepts only its own algorithm (no algorithm confusion, never `none`); `exp` is
 * required and its lifetime capped, exp and nbf are enforced with a small clock tolerance; iss and
 * aud when configured (the configuration requires both unless the key is the development secret);
 * `sub` is required.
 */
export class JwtVerifier {
  private readonly keys: readonly VerificationKey[];
  private readonly maxLifetimeSeconds: number;

  constructor(private readonly config: JwtConfig) {
    this.maxLifetimeSeconds = maxTokenLifetimeSeconds(config);
    // HS256 secrets as KeyObjects, not strings: given a string, jsonwebtoken first tries it as a PEM
    // public key (a thrown createPublicKey on every verification, ~2.7 ms of CPU per call under load)
    this.keys = [
      ...config.hs256Secrets.map((secret): VerificationKey => ({ key: createSecretKey(Buffer.from(secret, 'utf8')), algorithms: ['HS256'] })),
      ...config.publicKeys.map(({ kid, pem }): VerificationKey => {
        const key = createPublicKey(pem);
        return { kid, key, algorithms: algorithmsFor(key) };
      }),
    ];
  }

  verify(token: string): Principal {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === 'string') throw new TokenRejectedError('malformed bearer token');
    const { alg, kid } = decoded.header;
    const candidates = this.keys.filter((k) => k.algorithms.includes(alg as Algorithm) && (kid === undefined || k.kid === undefined || k.kid === kid));
    if (candidates.length === 0) throw new TokenRejectedError(`no verification key for alg ${alg}${kid ? ` kid ${kid}` : ''}`);

    let lastError: unknown;
    for (const candidate of candidates) {
      try {
        const payload = jwt.verify(token, candidate.key, {
          algorithms: candidate.algorithms,
          issuer: this.config.issuer,
          audience: this.config.audience as string | [string, ...string[]] | undefined,
          clockTolerance: this.config.clockToleranceSeconds,
        }) as JwtPayload;
        this.checkLifetime(payload);
        return this.principalFrom(payload);
      } catch (error) {
        if (error instanceof TokenRejectedError) throw error;
        lastError = error;
        // an invalid signature may verify under the next key (rotation); anything else is final
        if (!(error instanceof jwt.JsonWebTokenError) || error.message !== 'invalid signature') break;
      }
    }
    throw new TokenRejectedError(describe(lastError));
  }

  /** `exp` is required; `exp - iat` (and `exp - now`) may not exceed the configured cap. */
  private checkLifetime(payload: JwtPayload): void {
    if (typeof payload.exp !== 'number') throw new TokenRejectedError('token has no exp claim: tokens must expire');
    const now = Math.floor(Date.now() / 1000);
    const tolerance = this.config.clockToleranceSeconds;
    if (payload.iat !== undefined && (typeof payload.iat !== 'number' || payload.iat > now + tolerance)) throw new TokenRejectedError('token iat lies in the future');
    const lifetime = payload.exp - (payload.iat ?? now);
    if (lifetime > this.maxLifetimeSeconds || payload.exp - now > this.maxLifetimeSeconds + tolerance) {
      throw new TokenRejectedError(`token lifetime ${lifetime} s exceeds the accepted maximum of ${this.maxLifetimeSeconds} s`);
    }
  }

  private principalFrom(payload: JwtPayload): Principal {
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new TokenRejectedError('token has no sub claim');
    const claim: unknown = payload[this.config.rolesClaim];
    const raw = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(/\s+/) : [];
    return { subject: payload.sub, roles: [...new Set(raw.filter(isRole))], authenticatedBy: 'jwt' };
  }
}

function describe(error: unknown): string {
  if (error instanceof jwt.TokenExpiredError) return `token expired at ${error.expiredAt.toISOString()}`;
  if (error instanceof jwt.NotBeforeError) return `token not valid before ${error.date.toISOString()}`;
  if (error instanceof jwt.JsonWebTokenError) return `token rejected: ${error.message}`;
  return 'token rejected';
}
