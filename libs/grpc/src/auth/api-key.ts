import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type ApiKeyConfig } from '../server/grpc-platform.config';
import { type Principal } from './roles';

/** Lower-case hex SHA-256 of an API key: the only form in which keys are configured. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new random API key (`rfx_` + 32 bytes base64url) and its hash for the configuration. */
export function generateApiKey(): { key: string; sha256: string } {
  const key = `rfx_${randomBytes(32).toString('base64url')}`;
  return { key, sha256: hashApiKey(key) };
}

/**
 * Verifies presented API keys against configured SHA-256 digests. Every configured digest is
 * compared in constant time, without early exit, so timing reveals neither which key nor how much
 * of a digest matched.
 */
export class ApiKeyVerifier {
  private readonly keys: readonly { config: ApiKeyConfig; digest: Buffer }[];

  constructor(keys: readonly ApiKeyConfig[]) {
    this.keys = keys.map((config) => ({ config, digest: Buffer.from(config.sha256, 'hex') }));
  }

  get size(): number {
    return this.keys.length;
  }

  verify(presented: string): Principal | undefined {
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    let match: ApiKeyConfig | undefined;
    for (const key of this.keys) {
      if (timingSafeEqual(digest, key.digest) && match === undefined) match = key.config;
    }
    return match && { subject: `apikey:${match.id}`, roles: match.roles, authenticatedBy: 'api-key' };
  }
}
