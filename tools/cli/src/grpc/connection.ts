import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { createDevelopmentToken, ROLES } from '@reflux/grpc';

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

/**
 * The bearer token for a call: --token, else REFLUX_TOKEN, else one minted from the embedded
 * default's development secret (so `npx reflux …` works beside `npm start` without copying it).
 */
export function resolveToken(options: ConnectionOptions): string {
  const token = options.token ?? process.env['REFLUX_TOKEN'];
  if (token) return token;
  const secretFile = join(refluxHome(options.home), 'dev-jwt-secret');
  if (existsSync(secretFile)) {
    return createDevelopmentToken(readFileSync(secretFile, 'utf8').trim(), [...ROLES], 'reflux-cli', { ttlSeconds: 3600 });
  }
  throw new Error('no token: pass --token, set REFLUX_TOKEN, or run beside `npm start` (which keeps a development secret in .reflux/)');
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
