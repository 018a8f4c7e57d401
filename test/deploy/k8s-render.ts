import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './deploy-fixtures';

/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are walked as plain YAML */
export type K8s = Record<string, any>;

/** The kustomize overlays of k8s/overlays, each a complete deployment. */
export const OVERLAYS = ['demo', 'production'] as const;
export type Overlay = (typeof OVERLAYS)[number];

const rendered = new Map<string, K8s[]>();

/**
 * The objects `kubectl kustomize k8s/overlays/<overlay>` renders (cached per run). Fails naming
 * what to install when kubectl is missing: the deployment checks are never skipped.
 */
export function render(overlay: Overlay): K8s[] {
  const cached = rendered.get(overlay);
  if (cached) return cached;
  let out: string;
  try {
    out = execFileSync('kubectl', ['kustomize', join(ROOT, 'k8s', 'overlays', overlay)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new Error('kubectl is not installed: the Kubernetes manifests are checked by rendering them with `kubectl kustomize` (a kubectl ≥ 1.27 on PATH, whose kustomize v5 knows `labels` and `replacements`; the kubernetes-client 1.20 of Debian bookworm is too old)');
    }
    throw new Error(`kubectl kustomize k8s/overlays/${overlay} failed: ${e.stderr ?? e.message}`);
  }
  const objects = parseAllDocuments(out).map((d) => d.toJS() as K8s).filter((o) => o !== null);
  rendered.set(overlay, objects);
  return objects;
}

/** The one object of a kind whose name is `name` or, for generated objects, `name-<hash>`. */
export function find(objects: readonly K8s[], kind: string, name: string): K8s {
  const found = objects.filter((o) => o.kind === kind && (o.metadata.name === name || new RegExp(`^${name}-[a-z0-9]{10}$`).test(o.metadata.name)));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0];
}

export const has = (objects: readonly K8s[], kind: string, name: string): boolean => objects.some((o) => o.kind === kind && o.metadata.name === name);

/** The data of a rendered ConfigMap or Secret (Secret `data` is base64). */
export function dataOf(object: K8s): Record<string, string> {
  if (object.kind === 'Secret') {
    const decoded = Object.fromEntries(Object.entries((object.data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    return { ...decoded, ...(object.stringData ?? {}) };
  }
  return object.data ?? {};
}

/** KEY=VALUE lines of an env file (comments and blank lines skipped), as `kubectl create secret --from-env-file` reads them. */
export function readEnvFile(path: string): Record<string, string> {
  const lines = readFileSync(join(ROOT, path), 'utf8').split('\n').map((l) => l.trim());
  return Object.fromEntries(lines.filter((l) => l !== '' && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

/** Pod templates of Deployments, StatefulSets and Jobs, with their owner. */
export function podTemplates(objects: readonly K8s[]): { owner: K8s; pod: K8s }[] {
  return objects.filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind)).map((owner) => ({ owner, pod: owner.spec.template }));
}
