/**
 * `npm start`: the embedded default. Runs, on one machine and with no external servers, an
 * embedded PostgreSQL (data kept in .reflux/ so a second start reuses it), every Reflux service
 * that exists in this checkout as its own process, and the demo-plant simulator; prints where each
 * API listens and a development token. A service that crashes is restarted with backoff (1 s
 * doubling to 30 s); five crashes of one within five minutes stop everything. Ctrl-C stops
 * everything cleanly.
 *
 * Environment (all optional): REFLUX_HOME (data directory, default ./.reflux), REFLUX_PG_PORT
 * (default 54329), REFLUX_<SERVICE>_PORT (gRPC ports, defaults 50051…50055), REFLUX_DEMO_PLANT
 * (`petrochemical` or `steelworks`, default petrochemical), REFLUX_SIMULATOR=off to run without it.
 */
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { createServiceToken, ROLES } from '@reflux/grpc';
import { DEMO_PLANTS, demoPlantPath, type DemoPlantName } from '@reflux/plant-model';
import { startEmbeddedPostgres, type PostgresServer } from '@reflux/testing';
import { ChildService } from './child-service';
import { Supervisor } from './supervisor';
import { loadOrCreateDevSecret } from './dev-secret';
import { waitUntilHttpReady, waitUntilServing } from './health-probe';
import { discoverServices, portOf } from './service-catalog';

const root = resolve(__dirname, '..', '..', '..');
const env = process.env;
const home = resolve(env['REFLUX_HOME'] ?? join(root, '.reflux'));
const say = (line: string) => process.stdout.write(line + '\n');
const register = join(root, 'scripts', 'register.cjs');

async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function main(): Promise<void> {
  mkdirSync(join(home, 'logs'), { recursive: true, mode: 0o755 });
  // As root, PostgreSQL runs as the `postgres` user, who must be able to enter the data directory.
  if (process.getuid?.() === 0 && (statSync(home).mode & 0o005) !== 0o005) chmodSync(home, statSync(home).mode | 0o005);
  const pgPort = Number(env['REFLUX_PG_PORT'] ?? 54329);
  const plant = env['REFLUX_DEMO_PLANT'] ?? 'petrochemical';
  if (!(plant in DEMO_PLANTS)) throw new Error(`REFLUX_DEMO_PLANT: expected one of ${Object.keys(DEMO_PLANTS).join(', ')}, got "${plant}"`);
  const plantFile = demoPlantPath(plant as DemoPlantName);
  const services = discoverServices(root);
  const children: ChildService[] = [];
  const running: { postgres?: PostgresServer } = {};
  let shuttingDown = false;
  // A crashed service (or the simulator) is restarted with backoff; a crash loop stops the stack.
  const supervisor = new Supervisor(say, () => void shutdown(1), (name) => join(home, 'logs', `${name}.log`));

  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    supervisor.stop();
    say('\nstopping Reflux…');
    // The simulator first (it writes to ingestion), then the services, then the database.
    for (const child of [...children].reverse()) await child.stop(15_000);
    if (running.postgres) await running.postgres.stop();
    say('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGHUP', () => void shutdown(0));
  process.on('exit', () => children.forEach((c) => c.kill()));

  say(`Reflux: starting the embedded default (data in ${home})`);
  const firstStart = !existsSync(join(home, 'postgres', 'PG_VERSION'));
  const postgres = await startEmbeddedPostgres({ dataDir: join(home, 'postgres'), port: pgPort, persistent: true, detached: true });
  running.postgres = postgres;
  say(`  PostgreSQL   ${postgres.url.replace(/:[^:@/]*@/, ':***@')} (${firstStart ? 'new cluster' : 'existing data reused'})`);
  const databaseUrl = await ensureDatabase(postgres.url, 'reflux');
  const secret = loadOrCreateDevSecret(join(home, 'dev-jwt-secret'));

  const unexpectedExit = supervisor.onExit;

  const endpoints: { name: string; address: string; protocol: 'grpc' | 'http' }[] = [];
  // Every gRPC service's address, for the services that call them (the gateway's snapshots); absent services stay unset.
  const grpcAddresses = Object.fromEntries(
    services.filter((s) => s.protocol === 'grpc').map((s) => [`${s.name.toUpperCase().replace(/-/g, '_')}_ADDRESS`, `127.0.0.1:${portOf(s, env)}`]),
  );
  for (const service of services) {
    const port = portOf(service, env);
    const address = `127.0.0.1:${port}`;
    const child = new ChildService(
      service.name,
      process.execPath,
      [...service.nodeArgs, '-r', register, service.entry],
      {
        ...service.env(plant),
        ...grpcAddresses,
        ...env,
        SERVICE_NAME: service.name,
        GRPC_HOST: '127.0.0.1',
        ...(service.protocol === 'http' ? { HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port), GRPC_PORT: '0' } : { GRPC_PORT: String(port) }),
        DATABASE_URL: databaseUrl,
        EVENT_BUS: 'postgres',
        AUTH_JWT_SECRET: secret,
        AUTH_JWT_DEVELOPMENT: 'true',
        GRPC_REFLECTION: env['GRPC_REFLECTION'] ?? 'on',
        LOG_LEVEL: env['LOG_LEVEL'] ?? 'info',
        PLANT_MODEL_FILES: env['PLANT_MODEL_FILES'] ?? plantFile,
        INGESTION_ADDRESS: `127.0.0.1:${portOf(services.find((s) => s.name === 'ingestion') ?? service, env)}`,
      },
      join(home, 'logs', `${service.name}.log`),
      say,
      unexpectedExit,
    );
    children.push(child);
    supervisor.watch(child);
    child.start();
    endpoints.push({ name: service.name, address, protocol: service.protocol });
    // The other services read ingestion's history from their first window on: it comes up first.
    if (service.name === 'ingestion') {
      try {
        await waitUntilServing(address, 120_000, () => child.isAlive());
      } catch (error) {
        say(`[ingestion] did not become ready: ${(error as Error).message}; see ${join(home, 'logs', 'ingestion.log')}`);
        return shutdown(1);
      }
    }
  }
  for (const [i, endpoint] of endpoints.entries()) {
    try {
      if (endpoint.protocol === 'http') await waitUntilHttpReady(`http://${endpoint.address}`, 120_000, () => children[i]!.isAlive());
      else await waitUntilServing(endpoint.address, 120_000, () => children[i]!.isAlive());
    } catch (error) {
      say(`[${endpoint.name}] did not become ready: ${(error as Error).message}; see ${join(home, 'logs', `${endpoint.name}.log`)}`);
      return shutdown(1);
    }
    say(`  ${endpoint.name.padEnd(12)} ${endpoint.protocol}://${endpoint.address}  ${endpoint.protocol === 'http' ? 'READY' : 'SERVING'}`);
  }

  // the services run with AUTH_JWT_SECRET=secret, AUTH_JWT_DEVELOPMENT=true: a 7-day cap
  const token = createServiceToken({ hs256Secrets: [secret], development: true }, 'reflux-dev', [...ROLES], { ttlSeconds: 7 * 24 * 3600 });
  const simulatorEntry = join(root, 'tools', 'simulator', 'src', 'main.ts');
  const ingestion = endpoints.find((e) => e.name === 'ingestion');
  if (ingestion && existsSync(simulatorEntry) && env['REFLUX_SIMULATOR'] !== 'off') {
    const simulator = new ChildService(
      'simulator',
      process.execPath,
      ['-r', register, simulatorEntry],
      { ...env, INGESTION_ADDRESS: ingestion.address, REFLUX_TOKEN: token, PLANT_MODEL_FILE: plantFile, LOG_LEVEL: env['LOG_LEVEL'] ?? 'info' },
      join(home, 'logs', 'simulator.log'),
      say,
      unexpectedExit,
    );
    children.push(simulator);
    supervisor.watch(simulator);
    simulator.start();
    say(`  simulator    streaming the ${plant} demo plant to ingestion`);
  }

  say('');
  say('Development token (all roles, valid 7 days; every API requires it):');
  say(`  export REFLUX_TOKEN=${token}`);
  say('');
  if (ingestion) {
    say('Try:');
    say(`  grpcurl -plaintext ${ingestion.address} list`);
    say(`  grpcurl -plaintext -H "authorization: Bearer $REFLUX_TOKEN" ${ingestion.address} reflux.ingestion.v1.IngestionService/ListTags`);
    say(`  npx reflux history latest --json`);
  }
  say(`Logs: ${join(home, 'logs')}   Stop: Ctrl-C`);
  await new Promise(() => undefined);
}

main().catch((error) => {
  process.stderr.write(`reflux start failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
