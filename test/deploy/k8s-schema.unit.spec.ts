import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type K8s, OVERLAYS, render } from './k8s-render';

/* eslint-disable @typescript-eslint/no-require-imports -- one model module per apiVersion/kind, loaded on demand (the package index loads all 1,700) */

const MODELS = dirname(require.resolve('kubernetes-models'));

/** The kubernetes-models class of an apiVersion/kind (Kubernetes 1.27 OpenAPI schemas, bundled: no network). */
function modelOf(apiVersion: string, kind: string): (new (data: K8s) => { validate(): void }) | undefined {
  // Modules are laid out as <group>/<version>/<Kind>.js, the core group as v1/<Kind>.js.
  const file = join(MODELS, ...apiVersion.split('/'), `${kind}.js`);
  if (!/^[A-Za-z0-9./]+$/.test(apiVersion + kind) || !existsSync(file)) return undefined;
  return (require(file) as Record<string, new (data: K8s) => { validate(): void }>)[kind];
}

/**
 * A Secret's `data` as the API server decodes it: kustomize folds long base64 values over several
 * lines, and Go's base64 decoder skips the line breaks.
 */
const unfolded = (object: K8s): K8s =>
  object.kind === 'Secret' && object.data ? { ...object, data: Object.fromEntries(Object.entries(object.data as Record<string, string>).map(([k, v]) => [k, v.replace(/\s+/g, '')])) } : object;

/** Schema violations of one object, or [] ; an unknown apiVersion/kind is a violation too. */
function violations(object: K8s): string[] {
  const Model = modelOf(object.apiVersion, object.kind);
  if (!Model) return [`${object.apiVersion} ${object.kind} is not a Kubernetes 1.27 API type`];
  try {
    new Model(unfolded(object)).validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

describe.each(OVERLAYS)('every object of the %s overlay', (overlay) => {
  const objects = render(overlay);

  it.each(objects.map((o) => [`${o.kind} ${o.metadata.name}`, o] as const))('%s validates against the Kubernetes schema', (_, object) => {
    expect(violations(object)).toEqual([]);
  });
});

describe('the Kubernetes schema check', () => {
  it('rejects a wrong type, a missing required field and an unknown kind', () => {
    const deployment = render('demo').find((o) => o.kind === 'Deployment')!;
    const broken = structuredClone(deployment);
    broken.spec.template.spec.containers[0].ports[0].containerPort = '50051';
    expect(violations(broken).join()).toMatch(/containerPort must be integer/);
    const noSelector = structuredClone(deployment);
    delete noSelector.spec.selector;
    expect(violations(noSelector).join()).toMatch(/selector/);
    expect(violations({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } })).toEqual(['apps/v1 Deploymnet is not a Kubernetes 1.27 API type']);
  });
});
