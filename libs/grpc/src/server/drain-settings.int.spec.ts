import { connectivityState, credentials, loadPackageDefinition, status as Status, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadConfig, platformConfigSchema } from '@reflux/config';
import { freePort } from '@reflux/testing';
import { createDevelopmentToken } from '../auth/development-token';
import { callUnary, captureLogger, loadClientPackage, loadProbePackage, PROBE_SERVICE, probeClient, probeImplementation, TEST_JWT_SECRET } from '../testing/probe.fixture';
import { grpcPlatformConfigFromEnv } from './grpc-platform.from-env';
import { GrpcPlatformServer } from './grpc-platform.server';

const viewer = createDevelopmentToken(TEST_JWT_SECRET, ['viewer'], 'alice');

/** A server configured the way a service process configures it: from its environment variables. */
async function serverFromEnv(env: Record<string, string>): Promise<GrpcPlatformServer> {
  const config = loadConfig(platformConfigSchema, {
    SERVICE_NAME: 'probe',
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: String(await freePort()),
    DATABASE_URL: 'postgres://u:p@127.0.0.1/x',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    AUTH_JWT_DEVELOPMENT: 'true',
    ...env,
  });
  const server = new GrpcPlatformServer({ config: grpcPlatformConfigFromEnv(config), logger: captureLogger().logger });
  server.addService(loadProbePackage(), PROBE_SERVICE, probeImplementation({ aborted: [], completed: [] }));
  await server.start();
  return server;
}

function healthStatus(port: number): Promise<string> {
  const pkg = loadPackageDefinition(loadClientPackage('grpc/health/v1/health.proto')) as unknown as {
    grpc: { health: { v1: { Health: new (a: string, c: ReturnType<typeof credentials.createInsecure>) => Client & { Check: (r: unknown, cb: (e: ServiceError | null, r: { status: string }) => void) => void } } } };
  };
  const client = new pkg.grpc.health.v1.Health(`127.0.0.1:${port}`, credentials.createInsecure());
  return new Promise<string>((resolve, reject) => client.Check({ service: '' }, (e, r) => (e ? reject(e) : resolve(r.status)))).finally(() => client.close());
}

describe('drain and connection age from GRPC_DRAIN_DELAY_MS, GRPC_MAX_CONNECTION_AGE_MS and GRPC_MAX_CONNECTION_AGE_GRACE_MS', () => {
  it('keeps serving new calls during the drain delay while health reports NOT_SERVING, finishes in-flight calls, then refuses', async () => {
    const server = await serverFromEnv({ GRPC_DRAIN_DELAY_MS: '1000', SHUTDOWN_GRACE_MS: '5000' });
    const port = server.port;
    const early = probeClient(port);
    const late = probeClient(port);
    try {
      await callUnary(early, 'Echo', { text: 'warm-up' }, { token: viewer });
      const inFlight = callUnary(early, 'Echo', { text: 'in-flight', workMs: 1500 }, { token: viewer });
      await new Promise((r) => setTimeout(r, 50));
      const started = Date.now();
      const stopped = server.shutdown();
      expect(await healthStatus(port)).toBe('NOT_SERVING');
      // a client that has not noticed yet (kube-proxy still routes to this pod) is still served
      await expect(callUnary(late, 'Echo', { text: 'during-drain' }, { token: viewer })).resolves.toMatchObject({ text: 'during-drain' });
      await expect(inFlight).resolves.toMatchObject({ text: 'in-flight' });
      await stopped;
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      const fresh = probeClient(port);
      const refused = await callUnary(fresh, 'Echo', { text: 'after' }, { token: viewer, deadline: new Date(Date.now() + 1000) }).catch((e: ServiceError) => e);
      expect((refused as ServiceError).code).toBe(Status.UNAVAILABLE);
      fresh.close();
    } finally {
      early.close();
      late.close();
      await server.shutdown(0);
    }
  });

  it('closes a connection once it is GRPC_MAX_CONNECTION_AGE_MS old, after its in-flight call, so the client reconnects', async () => {
    const server = await serverFromEnv({ GRPC_MAX_CONNECTION_AGE_MS: '1000', GRPC_MAX_CONNECTION_AGE_GRACE_MS: '5000' });
    const client = probeClient(server.port);
    const channel = client.getChannel();
    const states: string[] = [];
    const watch = (from: connectivityState) => channel.watchConnectivityState(from, Date.now() + 5_000, () => states.push(connectivityState[channel.getConnectivityState(false)]));
    try {
      await callUnary(client, 'Echo', { text: 'first' }, { token: viewer });
      expect(channel.getConnectivityState(false)).toBe(connectivityState.READY);
      watch(connectivityState.READY);
      // runs across the connection's age: the server lets it finish (within the grace) before closing
      await expect(callUnary(client, 'Echo', { text: 'across-age', workMs: 2000 }, { token: viewer })).resolves.toMatchObject({ text: 'across-age' });
      await new Promise((r) => setTimeout(r, 300));
      // the server's GOAWAY took the connection away: the channel left READY (to IDLE or CONNECTING)
      expect(['IDLE', 'CONNECTING', 'TRANSIENT_FAILURE']).toContain(states[0]);
      await expect(callUnary(client, 'Echo', { text: 'again' }, { token: viewer })).resolves.toMatchObject({ text: 'again' });
    } finally {
      client.close();
      await server.shutdown(0);
    }
  });

  it('leaves connections open and drains at once by default', async () => {
    const config = grpcPlatformConfigFromEnv(loadConfig(platformConfigSchema, { SERVICE_NAME: 'p', GRPC_PORT: '1', DATABASE_URL: 'postgres://u:p@h/x', AUTH_DISABLED: 'true' }));
    expect(config).toMatchObject({ drainDelayMs: 0 });
    expect(config).not.toHaveProperty('maxConnectionAgeMs');
    expect(config).not.toHaveProperty('maxConnectionAgeGraceMs');
  });
});
