import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadConfig, platformConfigShape } from '@reflux/config';
import { createServiceToken, jwtConfigFromEnv, ROLES, type JwtConfigInput } from '@reflux/grpc';
import { z } from 'zod';

export interface ConnectionOptions {
  readonly address?: string;
  readonly token?: string;
  readonly home?: string;
}

const repositoryRoot = resolve(__dirname, '..', '..', '..', '..');

/** The embedded default's data directory (`npm start` keeps its development secret there). */
export function refluxHome(home?: string): string {
  return resolve(home ?? process.env['REFLUX_HOME'] ?? join(repositoryRoot, '.reflux'));
}

const jwtEnvironmentSchema = z.object({
  AUTH_JWT_SECRET: platformConfigShape.AUTH_JWT_SECRET,
  AUTH_JWT_ISSUER: platformConfigShape.AUTH_JWT_ISSUER,
  AUTH_JWT_AUDIENCE: platformConfigShape.AUTH_JWT_AUDIENCE,
  AUTH_JWT_DEVELOPMENT: platformConfigShape.AUTH_JWT_DEVELOPMENT,
  AUTH_JWT_MAX_TOKEN_LIFETIME_S: platformConfigShape.AUTH_JWT_MAX_TOKEN_LIFETIME_S,
});

/**
 * The JWT configuration the CLI signs with, read like the servers read theirs: AUTH_JWT_SECRET with
 * AUTH_JWT_ISSUER/AUTH_JWT_AUDIENCE (and AUTH_JWT_DEVELOPMENT, AUTH_JWT_MAX_TOKEN_LIFETIME_S) from
 * the environment, else the development secret `npm start` keeps in the data directory.
 */
export function cliJwtConfig(home?: string, env: NodeJS.ProcessEnv = process.env): JwtConfigInput | undefined {
  const vars = loadConfig(jwtEnvironmentSchema, env);
  if (vars.AUTH_JWT_SECRET) return jwtConfigFromEnv({ ...vars, AUTH_JWT_PUBLIC_KEY_FILE: undefined });
  const secretFile = join(refluxHome(home), 'dev-jwt-secret');
  return existsSync(secretFile) ? { hs256Secrets: [readFileSync(secretFile, 'utf8').trim()], development: true } : undefined;
}

/**
 * The bearer token for a call: --token, else REFLUX_TOKEN, else one minted from AUTH_JWT_* or the
 * embedded default's development secret (so `npx reflux …` works beside `npm start` without copying it).
 */
export function resolveToken(options: ConnectionOptions): string {
  const token = options.token ?? process.env['REFLUX_TOKEN'];
  if (token) return token;
  const jwt = cliJwtConfig(options.home);
  if (jwt) return createServiceToken(jwt, 'reflux-cli', [...ROLES], { ttlSeconds: 3600 });
  throw new Error('no token: pass --token, set REFLUX_TOKEN or AUTH_JWT_SECRET, or run beside `npm start` (which keeps a development secret in .reflux/)');
}

export function callCredentials(token: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

/** "Deadline in ms from now" as grpc-js wants it. */
export function deadline(ms: number): grpc.Deadline {
  return Date.now() + ms;
}
