import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig, platformConfigSchema } from '@reflux/config';
import { parseAllDocuments, parse } from 'yaml';
import type { z } from 'zod';

export const ROOT = resolve(__dirname, '../..');

/**
 * Services with manifests, and the port of their API: gRPC (the plan: scheduling 50053, safety 50054,
 * supply-chain 50055), HTTP for the control-room gateway (HTTP_SERVICES).
 */
export const SERVICES = { ingestion: 50051, balancing: 50052, scheduling: 50053, safety: 50054, 'supply-chain': 50055, 'control-room-gateway': 8080 } as const;
export type ServiceName = keyof typeof SERVICES;

/** Services whose API is HTTP (health at /healthz and /readyz), not gRPC. */
export const HTTP_SERVICES: ReadonlySet<string> = new Set(['control-room-gateway']);

/** Services that have a migration of their own (the gateway only reads the shared event store). */
export const MIGRATED_SERVICES: readonly ServiceName[] = (Object.keys(SERVICES) as ServiceName[]).filter((s) => !HTTP_SERVICES.has(s));

/** gRPC services and their ports. */
export const GRPC_SERVICES = Object.fromEntries(Object.entries(SERVICES).filter(([s]) => !HTTP_SERVICES.has(s))) as Record<string, number>;

/** Services that run as exactly one replica (a single writer per plant; see each service's README). */
export const SINGLE_REPLICA: ReadonlySet<string> = new Set(['safety', 'supply-chain']);

/** Services that use Redis (latest values): the others do not wait for it. */
export const USES_REDIS: ReadonlySet<string> = new Set(['ingestion', 'balancing']);

/** Variables a container may carry that are read by Node itself, not by @reflux/config. */
export const RUNTIME_VARIABLES = new Set(['NODE_OPTIONS', 'NODE_ENV']);

export const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
export const readYaml = <T = unknown>(path: string): T => parse(read(path), { merge: true }) as T;
export const readYamlDocuments = (path: string): unknown[] => parseAllDocuments(read(path)).map((d) => d.toJS() as unknown);

type Schema = z.ZodObject<z.ZodRawShape>;

/**
 * The configuration schema a service validates at start: the `<camel>ConfigSchema` (or `configSchema`)
 * export of `services/<name>/src/<name>.config.ts`, or of another `src/*.config.ts` (the gateway's
 * `gateway.config.ts`) when the service has one, else the platform schema.
 */
export function schemaFor(service: string): Schema {
  const src = join(ROOT, 'services', service, 'src');
  const own = `${service}.config.ts`;
  const files = existsSync(src) ? readdirSync(src).filter((f) => f.endsWith('.config.ts')).sort((a, b) => Number(b === own) - Number(a === own)) : [];
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional module, found at run time
    const mod = require(join(src, file)) as Record<string, unknown>;
    const camel = service.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const schema = mod[`${camel}ConfigSchema`] ?? mod.configSchema ?? Object.entries(mod).find(([k]) => k.endsWith('ConfigSchema'))?.[1];
    if (schema) return schema as Schema;
  }
  return platformConfigSchema as unknown as Schema;
}

/** Variables of an environment that the service's schema does not know (typos, stale names). */
export function unknownVariables(service: string, env: Record<string, string>): string[] {
  const known = new Set(Object.keys(schemaFor(service).shape));
  return Object.keys(env).filter((k) => !known.has(k) && !RUNTIME_VARIABLES.has(k));
}

/** Loads the service configuration from a manifest's environment; returns the problems, or [] . */
export function configProblems(service: string, env: Record<string, string>): string[] {
  try {
    loadConfig(schemaFor(service) as unknown as Parameters<typeof loadConfig>[0], env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.variable}: ${i.message}`);
    throw error;
  }
}

/** An image reference pinned to a version: has a tag other than `latest`, or a digest. */
export function isPinned(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const tag = /:([^/:]+)$/.exec(image)?.[1];
  return tag !== undefined && tag !== 'latest' && /\d/.test(tag);
}

/**
 * Absolute paths in an environment (also inside comma-separated lists) that will not exist in the
 * container: files of the image (`/app/…`) must exist in the repository, other paths must lie
 * under one of `mounts`.
 */
export function missingPaths(env: Record<string, string>, mounts: readonly string[] = []): string[] {
  const missing: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    for (const item of value.split(',').map((s) => s.trim())) {
      if (!item.startsWith('/')) continue;
      const ok = item.startsWith('/app/') ? existsSync(join(ROOT, item.slice('/app/'.length))) : mounts.some((m) => item.startsWith(`${m.replace(/\/$/, '')}/`));
      if (!ok) missing.push(`${name}=${item}`);
    }
  }
  return missing;
}
