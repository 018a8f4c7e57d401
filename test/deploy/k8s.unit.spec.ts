import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SERVICES, SINGLE_REPLICA, type ServiceName, configProblems, isPinned, missingPaths, readYaml, readYamlDocuments, unknownVariables } from './deploy-fixtures';

/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are walked as plain YAML */
type K8s = Record<string, any>;

const kustomization = readYaml<K8s>('k8s/kustomization.yaml');
const resources: K8s[] = (kustomization.resources as string[]).flatMap((file) => readYamlDocuments(`k8s/${file}`) as K8s[]);
const find = (kind: string, name: string): K8s => {
  const found = resources.find((r) => r.kind === kind && r.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in k8s/kustomization.yaml resources`);
  return found;
};
const configMap = find('ConfigMap', 'reflux-platform');
const secret = find('Secret', 'reflux-secrets');

// What an operator puts into the Secret in place of the CHANGE_ME placeholders.
const realSecret = (data: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(data).map(([k, v]) => [k, k === 'AUTH_JWT_SECRET' ? 'a-real-secret-of-more-than-32-characters' : v.replace(/CHANGE_ME/g, 'real-password')]));

/** The environment a container sees: envFrom sources in order, then `env` entries. */
function containerEnv(container: K8s, secretData: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      expect(source.configMapRef.name).toBe(configMap.metadata.name);
      Object.assign(env, configMap.data);
    } else if (source.secretRef) {
      expect(source.secretRef.name).toBe(secret.metadata.name);
      Object.assign(env, secretData);
    }
  }
  for (const entry of container.env ?? []) {
    expect(entry.valueFrom).toBeUndefined();
    expect(typeof entry.value).toBe('string');
    env[entry.name] = entry.value;
  }
  return env;
}

describe('Kubernetes manifests (k8s/)', () => {
  it('lists only files that exist, and puts everything in the reflux namespace', () => {
    for (const file of kustomization.resources as string[]) expect([file, existsSync(join(ROOT, 'k8s', file))]).toEqual([file, true]);
    expect(kustomization.namespace).toBe('reflux');
    expect(find('Namespace', 'reflux')).toBeTruthy();
  });

  it('keeps placeholders in the Secret that services refuse until replaced', () => {
    const placeholder = secret.stringData as Record<string, string>;
    expect(Object.values(placeholder).every((v) => v.includes('CHANGE_ME'))).toBe(true);
    const env = containerEnv(find('Deployment', 'ingestion').spec.template.spec.containers[0], placeholder);
    expect(configProblems('ingestion', env).sort()).toEqual(
      Object.keys(placeholder).sort().map((k) => `${k}: still holds the CHANGE_ME placeholder of the example Secret; set the real value (see deploy/README.md)`),
    );
  });

  it('pins every image', () => {
    const images = resources.flatMap((r) => (r.spec?.template?.spec?.containers ?? []).map((c: K8s) => c.image as string));
    expect(images.length).toBe(2 * Object.keys(SERVICES).length);
    for (const image of images) expect([image, isPinned(image)]).toEqual([image, true]);
    for (const entry of kustomization.images ?? []) expect(isPinned(`${entry.name}:${entry.newTag}`)).toBe(true);
  });

  describe.each(Object.entries(SERVICES) as [ServiceName, number][])('%s', (name, port) => {
    const deployment = find('Deployment', name);
    const pod = deployment.spec.template;
    const container = pod.spec.containers[0];

    it('has an environment its configuration schema accepts, with no unknown variable', () => {
      const env = containerEnv(container, realSecret(secret.stringData));
      expect(unknownVariables(name, env)).toEqual([]);
      expect(configProblems(name, env)).toEqual([]);
      expect(env.SERVICE_NAME).toBe(name);
      expect(env.GRPC_PORT).toBe(String(port));
      expect(env.GRPC_HOST).toBe('0.0.0.0');
      expect(env.DATABASE_MIGRATE_ON_START).toBe('false');
      expect(missingPaths(env, (container.volumeMounts ?? []).map((m: K8s) => m.mountPath))).toEqual([]);
    });

    it('runs the service entry point and exposes gRPC and metrics ports', () => {
      expect(container.args).toEqual([`services/${name}/src/main.ts`]);
      const ports = Object.fromEntries(container.ports.map((p: K8s) => [p.name, p.containerPort]));
      expect(ports).toEqual({ grpc: port, metrics: Number(configMap.data.METRICS_PORT) });
      expect(pod.metadata.annotations['prometheus.io/port']).toBe(configMap.data.METRICS_PORT);
    });

    it('probes startup, readiness and liveness with the native gRPC health probe on the gRPC port', () => {
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        expect([probe, container[probe]?.grpc]).toEqual([probe, { port }]);
        expect(container[probe].httpGet ?? container[probe].tcpSocket ?? container[probe].exec).toBeUndefined();
      }
    });

    it('sets resource requests and limits, and a heap limit below the memory limit', () => {
      const { requests, limits } = container.resources;
      expect(requests.cpu && requests.memory && limits.cpu && limits.memory).toBeTruthy();
      const mib = (q: string) => Number(/^(\d+)Mi$/.exec(q)![1]);
      const options = container.env.find((e: K8s) => e.name === 'NODE_OPTIONS').value as string;
      const oldSpace = Number(/--max-old-space-size=(\d+)/.exec(options)![1]);
      // Two semi-spaces make the young generation (V8's default semi-space is 16 MiB at most).
      const semiSpace = Number(/--max-semi-space-size=(\d+)/.exec(options)?.[1] ?? 16);
      expect(oldSpace + 2 * semiSpace).toBeLessThan(mib(limits.memory));
      expect(mib(requests.memory)).toBeLessThanOrEqual(mib(limits.memory));
    });

    it('runs as non-root with a read-only root filesystem and no privileges', () => {
      expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    });

    it('lets in-flight calls drain: the termination grace outlasts SHUTDOWN_GRACE_MS', () => {
      expect(pod.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(Number(configMap.data.SHUTDOWN_GRACE_MS));
      // A single-writer service (one replica) is replaced, not rolled: two would evaluate the same samples.
      if (SINGLE_REPLICA.has(name)) expect([deployment.spec.strategy.type, deployment.spec.replicas]).toEqual(['Recreate', 1]);
      else expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    });

    it('has a Service, a PodDisruptionBudget and a NetworkPolicy that select its pods and port', () => {
      const labels = pod.metadata.labels;
      const matches = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
      expect(deployment.spec.selector.matchLabels).toEqual(expect.objectContaining({ 'app.kubernetes.io/name': name }));
      expect(matches(deployment.spec.selector.matchLabels)).toBe(true);
      const service = find('Service', name);
      expect(matches(service.spec.selector)).toBe(true);
      expect(service.spec.ports.find((p: K8s) => p.name === 'grpc')).toMatchObject({ port, targetPort: 'grpc', appProtocol: 'grpc' });
      const pdb = find('PodDisruptionBudget', name);
      expect(matches(pdb.spec.selector.matchLabels)).toBe(true);
      if (SINGLE_REPLICA.has(name)) expect(pdb.spec.maxUnavailable).toBe(1);
      else expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
      const policy = find('NetworkPolicy', name);
      expect(matches(policy.spec.podSelector.matchLabels)).toBe(true);
      expect(policy.spec.ingress.flatMap((r: K8s) => r.ports.map((p: K8s) => p.port)).sort()).toEqual([port, Number(configMap.data.METRICS_PORT)].sort());
    });

    it('has a migration Job that runs migrate.ts with the same image and configuration', () => {
      const job = find('Job', `${name}-migrate`);
      const jobContainer = job.spec.template.spec.containers[0];
      expect(jobContainer.args).toEqual([`services/${name}/src/migrate.ts`]);
      expect(jobContainer.image).toBe(container.image);
      expect(['OnFailure', 'Never']).toContain(job.spec.template.spec.restartPolicy);
      expect(job.spec.backoffLimit).toBeGreaterThan(0);
      const env = containerEnv(jobContainer, realSecret(secret.stringData));
      expect(unknownVariables(name, env)).toEqual([]);
      expect(configProblems(name, env)).toEqual([]);
      expect(env.METRICS_PORT).toBe('0');
      expect(missingPaths(env, (jobContainer.volumeMounts ?? []).map((m: K8s) => m.mountPath))).toEqual([]);
      expect(job.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true });
    });
  });
});
