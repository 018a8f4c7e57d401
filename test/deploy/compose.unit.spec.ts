import { SERVICES, USES_REDIS, type ServiceName, configProblems, isPinned, missingPaths, readYaml, unknownVariables } from './deploy-fixtures';

interface ComposeService {
  image?: string;
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
    expect(names).toEqual(Object.keys(SERVICES).flatMap((s) => [s, `${s}-migrate`]).sort());
  });

  it('pins every image to a version and uses the TimescaleDB image of the plan', () => {
    for (const [name, s] of Object.entries(compose.services)) expect([name, isPinned(s.image ?? '')]).toEqual([name, true]);
    expect(compose.services.timescaledb.image).toBe('timescale/timescaledb:2.17.2-pg16');
    expect(compose.services.redis.image).toMatch(/^redis:7\./);
    expect(compose.services.kafka.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
  });

  it.each(refluxServices)('gives %s an environment its configuration schema accepts, with no unknown variable', (name, s) => {
    const service = name.replace(/-migrate$/, '');
    const env = envOf(s);
    expect(unknownVariables(service, env)).toEqual([]);
    expect(configProblems(service, env)).toEqual([]);
    expect(missingPaths(env)).toEqual([]);
  });

  it.each(Object.entries(SERVICES))('publishes and health-checks %s on its gRPC port %i', (name, port) => {
    const s = compose.services[name];
    const env = envOf(s);
    expect(env.GRPC_PORT).toBe(String(port));
    expect(env.SERVICE_NAME).toBe(name);
    expect(env.GRPC_HOST).toBe('0.0.0.0');
    expect(s.ports).toEqual([`127.0.0.1:${port}:${port}`]);
    expect(s.command).toEqual([`services/${name}/src/main.ts`]);
    expect(s.healthcheck?.test).toEqual(['CMD', 'node', 'deploy/grpc-health-check.cjs', String(port)]);
  });

  it.each(Object.keys(SERVICES) as ServiceName[])('starts %s only after its dependencies are healthy and its migration succeeded', (name) => {
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

  it('gives every infrastructure container a health check', () => {
    for (const name of ['timescaledb', 'redis', 'kafka']) expect(compose.services[name].healthcheck?.test.length).toBeGreaterThan(1);
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
