import { credentials, loadPackageDefinition, status as Status, type Client, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { createDevelopmentToken } from '../auth/development-token';
import { callUnary, captureLogger, loadClientPackage, loadProbePackage, PROBE_SERVICE, probeClient, probeImplementation, TEST_JWT_SECRET, type ProbeObservations } from '../testing/probe.fixture';
import { GrpcPlatformServer } from './grpc-platform.server';

type HealthClient = Client & {
  Check: (req: unknown, cb: (e: ServiceError | null, r: { status: string }) => void) => void;
  Watch: (req: unknown) => ClientReadableStream<{ status: string }>;
};

function healthClient(port: number): HealthClient {
  const pkg = loadPackageDefinition(loadClientPackage('grpc/health/v1/health.proto')) as unknown as {
    grpc: { health: { v1: { Health: new (a: string, c: ReturnType<typeof credentials.createInsecure>) => HealthClient } } };
  };
  return new pkg.grpc.health.v1.Health(`localhost:${port}`, credentials.createInsecure());
}

const viewer = createDevelopmentToken(TEST_JWT_SECRET, ['viewer'], 'alice');

async function startServer(drainDelayMs: number, observations: ProbeObservations): Promise<GrpcPlatformServer> {
  const server = new GrpcPlatformServer({
    config: { host: '127.0.0.1', port: 0, drainDelayMs, auth: { jwt: { hs256Secrets: [TEST_JWT_SECRET], development: true } } },
    logger: captureLogger().logger,
  });
  server.addService(loadProbePackage(), PROBE_SERVICE, probeImplementation(observations));
  await server.start();
  return server;
}

describe('graceful shutdown', () => {
  it('turns health NOT_SERVING first, lets an in-flight call finish, then refuses new connections', async () => {
    const observations: ProbeObservations = { aborted: [], completed: [] };
    const server = await startServer(300, observations);
    const client = probeClient(server.port);
    const health = healthClient(server.port);
    const watched: string[] = [];
    const watch = health.Watch({ service: PROBE_SERVICE });
    watch.on('data', (m) => watched.push(m.status));
    const watchEnded = new Promise<void>((resolve) => watch.on('end', resolve).on('error', () => resolve()));
    try {
      await callUnary(client, 'Echo', { text: 'warm-up' }, { token: viewer });
      const inFlight = callUnary(client, 'Echo', { text: 'in-flight', workMs: 600 }, { token: viewer });
      await new Promise((r) => setTimeout(r, 50));

      const stopped = server.shutdown(5000);
      // during the drain delay the server still answers, and says it is going away
      const status = await new Promise<string>((resolve, reject) => health.Check({ service: '' }, (e, r) => (e ? reject(e) : resolve(r.status))));
      expect(status).toBe('NOT_SERVING');

      await expect(inFlight).resolves.toMatchObject({ text: 'in-flight' });
      await stopped;
      await watchEnded;
      expect(watched).toEqual(['SERVING', 'NOT_SERVING']);
      expect(observations.aborted).toEqual([]);

      const fresh = probeClient(server.port);
      const error = await callUnary(fresh, 'Echo', { text: 'late' }, { token: viewer, deadline: new Date(Date.now() + 1000) }).catch((e: ServiceError) => e);
      expect((error as ServiceError).code).toBe(Status.UNAVAILABLE);
      fresh.close();
    } finally {
      client.close();
      health.close();
      await server.shutdown(0);
    }
  });

  it('cancels calls still running after the grace period and aborts their handlers', async () => {
    const observations: ProbeObservations = { aborted: [], completed: [] };
    const server = await startServer(0, observations);
    const client = probeClient(server.port);
    try {
      // connected first, so that the stuck call reaches its handler well within the pause below
      await callUnary(client, 'Echo', { text: 'warm-up' }, { token: viewer });
      const stuck = callUnary(client, 'Echo', { text: 'stuck', workMs: 30_000 }, { token: viewer }).catch((e: ServiceError) => e);
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      await server.shutdown(200);
      expect(Date.now() - started).toBeLessThan(2000);
      const error = (await stuck) as ServiceError;
      expect([Status.UNAVAILABLE, Status.CANCELLED]).toContain(error.code);
      expect(observations.aborted).toEqual([{ method: `${PROBE_SERVICE}/Echo`, reason: 'UNAVAILABLE' }]);
      expect(observations.completed).not.toContain('stuck');
    } finally {
      client.close();
    }
  });
});
