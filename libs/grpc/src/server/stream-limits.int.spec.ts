import { connect, type ClientHttp2Session } from 'node:http2';
import { Client, credentials, loadPackageDefinition, Metadata, status as Status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { decodeGrpcError } from '../errors/grpc-error.decoder';
import { captureLogger, loadClientPackage, loadProbePackage, PROBE_SERVICE, probeImplementation, TEST_JWT_SECRET } from '../testing/probe.fixture';
import { type GrpcPlatformConfigInput } from './grpc-platform.config';
import { GrpcPlatformServer } from './grpc-platform.server';

type WatchClient = Client & { Watch: (request: { service: string }) => ClientReadableStream<{ status: string }> };

async function startServer(config: Partial<GrpcPlatformConfigInput> = {}): Promise<GrpcPlatformServer> {
  const server = new GrpcPlatformServer({
    config: { host: '127.0.0.1', port: 0, auth: { jwt: { hs256Secrets: [TEST_JWT_SECRET], development: true } }, ...config },
    logger: captureLogger().logger,
  });
  server.addService(loadProbePackage(), PROBE_SERVICE, probeImplementation({ aborted: [], completed: [] }));
  await server.start();
  return server;
}

function healthClient(port: number): WatchClient {
  const pkg = loadPackageDefinition(loadClientPackage('grpc/health/v1/health.proto')) as unknown as {
    grpc: { health: { v1: { Health: new (address: string, creds: ReturnType<typeof credentials.createInsecure>, options?: object) => WatchClient } } };
  };
  // a channel of its own per client, as separate processes on one host would have
  return new pkg.grpc.health.v1.Health(`127.0.0.1:${port}`, credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
}

/** The first status a Watch stream sends, or the error that ends it. */
function firstWatchEvent(stream: ClientReadableStream<{ status: string }>): Promise<{ status?: string; error?: ServiceError }> {
  return new Promise((resolve) => {
    stream.once('data', (message: { status: string }) => resolve({ status: message.status }));
    stream.once('error', (error: ServiceError) => resolve({ error }));
  });
}

describe('stream limits and reflection', () => {
  it('advertises the configured maximum of concurrent streams per connection in its HTTP/2 settings', async () => {
    const server = await startServer({ maxConcurrentStreams: 7 });
    let session: ClientHttp2Session | undefined;
    try {
      session = connect(`http://127.0.0.1:${server.port}`);
      const settings = await new Promise<{ maxConcurrentStreams?: number }>((resolve, reject) => {
        session!.once('remoteSettings', resolve);
        session!.once('error', reject);
      });
      expect(settings.maxConcurrentStreams).toBe(7);
    } finally {
      session?.close();
      await server.shutdown(500);
    }
  });

  it('refuses a health Watch beyond the per-peer limit with RESOURCE_EXHAUSTED and admits one again after a watch ends', async () => {
    const server = await startServer({ maxHealthWatchesPerPeer: 2 });
    const clients = [healthClient(server.port), healthClient(server.port), healthClient(server.port), healthClient(server.port)];
    try {
      const first = clients[0]!.Watch({ service: '' });
      const second = clients[1]!.Watch({ service: '' });
      expect(await firstWatchEvent(first)).toEqual({ status: 'SERVING' });
      expect(await firstWatchEvent(second)).toEqual({ status: 'SERVING' });
      const third = await firstWatchEvent(clients[2]!.Watch({ service: '' }));
      expect(third.error?.code).toBe(Status.RESOURCE_EXHAUSTED);
      expect(decodeGrpcError(third.error)).toMatchObject({ code: 'GRPC.TOO_MANY_WATCHES', retriable: true });

      first.on('error', () => undefined);
      first.cancel();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const again = clients[3]!.Watch({ service: '' });
      expect(await firstWatchEvent(again)).toEqual({ status: 'SERVING' });
      for (const stream of [second, again]) {
        stream.on('error', () => undefined);
        stream.cancel();
      }
    } finally {
      for (const client of clients) client.close();
      await server.shutdown(500);
    }
  });

  it('serves no reflection unless configured (UNIMPLEMENTED)', async () => {
    const server = await startServer();
    const client = new Client(`127.0.0.1:${server.port}`, credentials.createInsecure());
    try {
      const error = await new Promise<ServiceError>((resolve) => {
        const call = client.makeBidiStreamRequest('/grpc.reflection.v1.ServerReflection/ServerReflectionInfo', (b: Buffer) => b, (b: Buffer) => b, new Metadata());
        call.on('error', resolve);
        call.on('data', () => undefined);
        call.write(Buffer.from([0x3a, 0x00])); // list_services: ""
        call.end();
      });
      expect(error.code).toBe(Status.UNIMPLEMENTED);
      expect(server.config.reflection).toBe(false);
    } finally {
      client.close();
      await server.shutdown(500);
    }
  });
});
