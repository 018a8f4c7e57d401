/**
 * Issue 12: every service serves Prometheus metrics on METRICS_PORT at /metrics (the port and path
 * the k8s Deployments' scrape annotations declare) and sends its traces over OTLP; and
 * OTEL_TRACES_EXPORTER=otlp without an endpoint starts the service with the specification's
 * default endpoint and a warning, instead of making it exit.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDevelopmentToken } from '@reflux/grpc';
import { demoPlantPath } from '@reflux/plant-model';
import { createTestDatabase, freePort } from '@reflux/testing';
import { call, REPO_ROOT, serviceClient, startServiceProcess } from './support/service-processes';

jest.setTimeout(300_000);

const SECRET = 'observability-e2e-secret-of-at-least-32-chars';
const AUTH = { AUTH_JWT_SECRET: SECRET, AUTH_JWT_DEVELOPMENT: 'true' };
const token = createDevelopmentToken(SECRET, ['viewer'], 'e2e');

/** An OTLP/HTTP receiver that keeps the bodies posted to /v1/traces. */
async function startCollector(): Promise<{ server: Server; url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (req.url === '/v1/traces') bodies.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies };
}

const SERVICES = {
  ingestion: { entry: 'services/ingestion/src/main.ts', ready: 'ingestion service started', proto: 'reflux/ingestion/v1/ingestion.proto', service: 'reflux.ingestion.v1.IngestionService', method: 'ListTags', request: { plantId: '', pageSize: 1, pageToken: '' } },
  balancing: { entry: 'services/balancing/src/main.ts', ready: 'balancing service started', proto: 'reflux/balancing/v1/balancing.proto', service: 'reflux.balancing.v1.BalancingService', method: 'ListSuspects', request: {} },
  safety: { entry: 'services/safety/src/main.ts', ready: 'safety service started', proto: 'reflux/safety/v1/safety.proto', service: 'reflux.safety.v1.SafetyService', method: 'ListActiveAlarms', request: {} },
} as const;

describe('observability of the service processes', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  beforeAll(async () => {
    db = await createTestDatabase('observability_e2e');
    collector = await startCollector();
  });
  afterAll(async () => {
    await new Promise((r) => collector?.server.close(r));
    await db?.drop();
  });

  it.each(Object.keys(SERVICES) as (keyof typeof SERVICES)[])('%s serves gRPC metrics on METRICS_PORT /metrics and exports its spans over OTLP', async (name) => {
    const s = SERVICES[name];
    const [grpcPort, metricsPort] = [await freePort(), await freePort()];
    const running = await startServiceProcess(
      s.entry,
      {
        ...AUTH,
        SERVICE_NAME: name,
        DATABASE_URL: db.url,
        GRPC_PORT: String(grpcPort),
        METRICS_PORT: String(metricsPort),
        METRICS_HOST: '127.0.0.1',
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        PLANT_MODEL_FILES: demoPlantPath('petrochemical'),
        ALARM_CONFIG_FILES: `${REPO_ROOT}/services/safety/config/demo-petrochemical.alarms.json`,
        INGESTION_ADDRESS: '127.0.0.1:1',
        BALANCE_SCHEDULE_INTERVAL_S: '0',
      },
      s.ready,
    );
    const client = serviceClient(s.proto, s.service, `127.0.0.1:${grpcPort}`);
    try {
      await call(client, s.method, s.request, token).catch(() => undefined);
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(metrics).toMatch(new RegExp(`grpc_server_handled_total\\{[^}]*grpc_method="${s.method}"`));
      expect(metrics).toContain(`service="${name}"`);
    } finally {
      client.close();
      await running.stop('SIGTERM');
    }
    // SIGTERM flushes the batched spans before the process exits.
    const mine = collector.bodies.filter((b) => b.includes(`"service.name","value":{"stringValue":"${name}"}`));
    expect(mine.join('\n')).toContain(`${s.service}/${s.method}`);
  });

  it('starts with OTEL_TRACES_EXPORTER=otlp and no endpoint, naming the default it sends to', async () => {
    const running = await startServiceProcess(
      'services/ingestion/src/main.ts',
      { ...AUTH, SERVICE_NAME: 'ingestion', DATABASE_URL: db.url, GRPC_PORT: String(await freePort()), PLANT_MODEL_FILES: demoPlantPath('petrochemical'), OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: undefined, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined },
      'ingestion service started',
    );
    await running.stop('SIGTERM');
    expect(running.output()).toMatch(/OTEL_TRACES_EXPORTER=otlp without OTEL_EXPORTER_OTLP_ENDPOINT.*"url":"http:\/\/localhost:4318\/v1\/traces"|"url":"http:\/\/localhost:4318\/v1\/traces".*OTEL_TRACES_EXPORTER=otlp without/);
  });
});
