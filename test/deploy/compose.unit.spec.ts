import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { GRPC_SERVICES, MIGRATED_SERVICES, ROOT, SERVICES, USES_REDIS, configProblems, isPinned, missingPaths, read, readYaml, unknownVariables } from './deploy-fixtures';
import { find, render } from './k8s-render';

interface ComposeService {
  image?: string;
  volumes?: string[];
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number | boolean>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
interface ComposeFile {
  services: Record<string, ComposeService>;
}

// Values an operator must supply (`${VAR:?message}`), chosen to be valid.
const REQUIRED_INPUTS: Record<string, string> = { AUTH_JWT_SECRET: 'local-secret-of-more-than-32-characters!' };

/** Docker Compose interpolation: `${VAR}`, `${VAR:-default}`, `${VAR:?error}` with the shell environment empty. */
function interpolate(value: string): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => {
    if (op === '-') return arg ?? '';
    if (op === '?') {
      const input = REQUIRED_INPUTS[name];
      if (input === undefined) throw new Error(`compose requires ${name} (${arg}) but the test has no value for it`);
      return input;
    }
    return '';
  });
}

const compose = readYaml<ComposeFile>('docker-compose.yml');
const envOf = (s: ComposeService): Record<string, string> =>
  Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));
const refluxServices = Object.entries(compose.services).filter(([, s]) => s.image?.startsWith('reflux:'));

describe('docker-compose.yml', () => {
  it('runs every service and its migration with the Reflux image', () => {
    const names = refluxServices.map(([n]) => n).sort();
    expect(names).toEqual([...Object.keys(SERVICES), ...MIGRATED_SERVICES.map((s) => `${s}-migrate`)].sort());
  });

  it('is a valid Compose file by the compose specification schema', () => {
    // compose-spec/compose-spec, schema/compose-spec.json (draft-07) of 2026-06-23 (commit 170098b), vendored.
    const { $schema: _draft, ...schema } = JSON.parse(read('test/deploy/compose-spec.schema.json')) as Record<string, unknown>;
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
    const raw = readYaml<Record<string, unknown>>('docker-compose.yml');
    const valid = validate(raw);
    expect(valid ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
    const broken = { ...raw, services: { ...compose.services, kafka: { ...compose.services.kafka, restart: 'sometimes', stop_grace_period: 20 } } };
    expect(validate(broken)).toBe(false);
  });

  it('pins every image to a version, TimescaleDB the same as the Kubernetes demo', () => {
    for (const [name, s] of Object.entries(compose.services)) expect([name, isPinned(s.image ?? '')]).toEqual([name, true]);
    const demoTimescale = find(render('demo'), 'StatefulSet', 'timescaledb').spec.template.spec.containers[0].image;
    expect(compose.services.timescaledb.image).toBe(demoTimescale);
    expect(compose.services.redis.image).toMatch(/^redis:7\.4\.\d+-bookworm$/);
    expect(compose.services.kafka.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
  });

  it('keeps the Kafka log on a named volume, so re-creating the container loses no event', () => {
    const env = compose.services.kafka.environment!;
    const volume = (compose.services.kafka.volumes ?? []).map((v) => v.split(':')).find(([, target]) => String(env.KAFKA_LOG_DIRS).startsWith(target));
    expect(volume).toBeDefined();
    expect(Object.keys((readYaml<{ volumes: Record<string, unknown> }>('docker-compose.yml')).volumes)).toContain(volume![0]);
    expect(env.CLUSTER_ID).toBeTruthy();
  });

  it('mounts only configuration files that exist in the repository', () => {
    const binds = Object.values(compose.services).flatMap((s) => (s.volumes ?? []).map((v) => v.split(':')[0]).filter((source) => source.startsWith('./')));
    expect(binds.length).toBeGreaterThanOrEqual(4);
    for (const source of binds) expect([source, existsSync(join(ROOT, source))]).toEqual([source, true]);
  });

  it('sends traces to the collector, which Prometheus scrapes with every service', () => {
    for (const name of Object.keys(SERVICES)) {
      const env = envOf(compose.services[name]);
      expect(env.OTEL_TRACES_EXPORTER).toBe('otlp');
      expect(new URL(env.OTEL_EXPORTER_OTLP_ENDPOINT).host).toBe('otel-collector:4318');
    }
    const prometheus = readYaml<{ scrape_configs: { static_configs: { targets: string[] }[] }[] }>('deploy/prometheus.yml');
    const targets = prometheus.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
    const metricsPort = envOf(compose.services.ingestion).METRICS_PORT;
    expect(targets.sort()).toEqual([...Object.keys(SERVICES).map((s) => `${s}:${metricsPort}`), 'otel-collector:8888'].sort());
  });

  it.each(refluxServices)('gives %s an environment its configuration schema accepts, with no unknown variable', (name, s) => {
    const service = name.replace(/-migrate$/, '');
    const env = envOf(s);
    expect(unknownVariables(service, env)).toEqual([]);
    expect(configProblems(service, env)).toEqual([]);
    expect(missingPaths(env)).toEqual([]);
  });

  it.each(Object.entries(GRPC_SERVICES))('publishes and health-checks %s on its gRPC port %i', (name, port) => {
    const s = compose.services[name];
    const env = envOf(s);
    expect(env.GRPC_PORT).toBe(String(port));
    expect(env.SERVICE_NAME).toBe(name);
    expect(env.GRPC_HOST).toBe('0.0.0.0');
    expect(s.ports).toEqual([`127.0.0.1:${port}:${port}`]);
    expect(s.command).toEqual([`services/${name}/src/main.ts`]);
    expect(s.healthcheck?.test).toEqual(['CMD', 'node', 'deploy/grpc-health-check.cjs', String(port)]);
  });

  it('publishes the control-room gateway on HTTP 8080 on all interfaces of its container and health-checks its readiness there', () => {
    const s = compose.services['control-room-gateway'];
    const env = envOf(s);
    expect(env.SERVICE_NAME).toBe('control-room-gateway');
    expect([env.HTTP_HOST, env.HTTP_PORT]).toEqual(['0.0.0.0', '8080']);
    expect(s.ports).toEqual(['127.0.0.1:8080:8080']);
    expect(s.command).toEqual(['services/control-room-gateway/src/main.ts']);
    const [kind, node, flag, script] = s.healthcheck!.test;
    expect([kind, node, flag]).toEqual(['CMD', 'node', '-e']);
    expect(script).toContain(`http://127.0.0.1:${env.HTTP_PORT}/readyz`);
  });

  it('points every service address at the compose service of that name on its gRPC port', () => {
    const addresses = Object.entries(compose.services).flatMap(([name, s]) =>
      Object.entries(envOf(s))
        .filter(([k]) => k.endsWith('_ADDRESS'))
        .map(([k, v]) => [name, k, v] as const),
    );
    expect(addresses.filter(([name]) => name === 'control-room-gateway').map(([, k]) => k).sort()).toEqual(['BALANCING_ADDRESS', 'INGESTION_ADDRESS', 'SAFETY_ADDRESS', 'SCHEDULING_ADDRESS', 'SUPPLY_CHAIN_ADDRESS']);
    for (const [name, variable, value] of addresses) {
      const [host, port] = value.split(':');
      const target = compose.services[host];
      expect([name, variable, target !== undefined]).toEqual([name, variable, true]);
      expect([name, variable, envOf(target).GRPC_PORT]).toEqual([name, variable, port]);
    }
  });

  it.each(MIGRATED_SERVICES)('starts %s only after its dependencies are healthy and its migration succeeded', (name) => {
    const deps = compose.services[name].depends_on ?? {};
    expect(deps.timescaledb).toEqual({ condition: 'service_healthy' });
    if (USES_REDIS.has(name)) expect(deps.redis).toEqual({ condition: 'service_healthy' });
    expect(deps.kafka).toEqual({ condition: 'service_healthy' });
    expect(deps[`${name}-migrate`]).toEqual({ condition: 'service_completed_successfully' });
    const migrate = compose.services[`${name}-migrate`];
    expect(migrate.command).toEqual([`services/${name}/src/migrate.ts`]);
    expect(migrate.depends_on?.timescaledb).toEqual({ condition: 'service_healthy' });
    expect(envOf(compose.services[name]).DATABASE_MIGRATE_ON_START).toBe('false');
  });

  it('starts the control-room gateway after the event store exists, and after the services whose snapshots it serves have started', () => {
    const s = compose.services['control-room-gateway'];
    const deps = s.depends_on ?? {};
    expect(deps.timescaledb).toEqual({ condition: 'service_healthy' });
    const migrations = Object.entries(deps).filter(([d]) => d.endsWith('-migrate'));
    expect(migrations.length).toBeGreaterThan(0);
    for (const [, dep] of migrations) expect(dep).toEqual({ condition: 'service_completed_successfully' });
    const env = envOf(s);
    for (const variable of ['INGESTION_ADDRESS', 'BALANCING_ADDRESS', 'SAFETY_ADDRESS', 'SCHEDULING_ADDRESS', 'SUPPLY_CHAIN_ADDRESS']) expect([variable, deps[env[variable].split(':')[0]]?.condition]).toEqual([variable, 'service_started']);
    expect(env.DATABASE_MIGRATE_ON_START).toBe('false');
  });

  it('gives every infrastructure container a health check', () => {
    for (const name of ['timescaledb', 'redis', 'kafka', 'prometheus']) expect(compose.services[name].healthcheck?.test.length).toBeGreaterThan(1);
  });

  it('points services at the compose hosts of the database, Redis and Kafka', () => {
    const env = envOf(compose.services.ingestion);
    expect(new URL(env.DATABASE_URL).host).toBe('timescaledb:5432');
    expect(new URL(env.REDIS_URL).host).toBe('redis:6379');
    expect(env.KAFKA_BROKERS).toBe('kafka:9092');
    expect(compose.services.kafka.environment?.KAFKA_ADVERTISED_LISTENERS).toBe('PLAINTEXT://kafka:9092');
  });

  it('stops with a message when the JWT secret is not supplied', () => {
    const raw = String(compose.services.ingestion.environment?.AUTH_JWT_SECRET);
    expect(raw).toMatch(/^\$\{AUTH_JWT_SECRET:\?.+\}$/);
  });
});
