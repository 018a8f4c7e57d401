import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, platformConfigSchema } from '@reflux/config';
import { Authenticator, createServiceToken, grpcPlatformConfigFromEnv, parseGrpcPlatformConfig } from '@reflux/grpc';
import { Metadata } from '@grpc/grpc-js';
import { cliJwtConfig } from './connection';

const COMPOSE_AUTH = { AUTH_JWT_SECRET: 'compose-secret-of-at-least-thirty-two-characters', AUTH_JWT_ISSUER: 'reflux-local', AUTH_JWT_AUDIENCE: 'reflux' };

/** Authenticates a bearer token as a service started with `env` would. */
function authenticateAsService(env: Record<string, string>, token: string) {
  const config = loadConfig(platformConfigSchema, { SERVICE_NAME: 'ingestion', GRPC_PORT: '50051', DATABASE_URL: 'postgres://u:p@db/reflux', ...env });
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return new Authenticator(parseGrpcPlatformConfig(grpcPlatformConfigFromEnv(config)).auth).authenticate(metadata);
}

describe('CLI tokens', () => {
  it('mints from AUTH_JWT_* a token that a service with the same settings (compose) accepts', () => {
    const jwt = cliJwtConfig('/nonexistent', COMPOSE_AUTH)!;
    const token = createServiceToken(jwt, 'reflux-cli', ['viewer'], { ttlSeconds: 3600 });
    expect(authenticateAsService(COMPOSE_AUTH, token)).toMatchObject({ subject: 'reflux-cli', roles: ['viewer'] });
  });

  it('falls back to the development secret of `npm start`, which the launched services accept', () => {
    const home = mkdtempSync(join(tmpdir(), 'reflux-cli-'));
    const secret = 'dev-secret-of-at-least-thirty-two-characters!!';
    writeFileSync(join(home, 'dev-jwt-secret'), `${secret}\n`);
    const token = createServiceToken(cliJwtConfig(home, {})!, 'reflux-cli', ['admin'], { ttlSeconds: 12 * 3600 });
    expect(authenticateAsService({ AUTH_JWT_SECRET: secret, AUTH_JWT_DEVELOPMENT: 'true' }, token).roles).toEqual(['admin']);
    expect(cliJwtConfig(join(home, 'missing'), {})).toBeUndefined();
  });
});
