import { callUnary, captureLogger, loadProbePackage, PROBE_SERVICE, probeClient, probeImplementation } from '../testing/probe.fixture';
import { GrpcPlatformServer } from './grpc-platform.server';

describe('a server with authentication disabled by configuration', () => {
  it('warns loudly at start and treats callers as anonymous admins', async () => {
    const { logger, lines } = captureLogger();
    const server = new GrpcPlatformServer({ config: { host: '127.0.0.1', port: 0, auth: { disabled: true } }, logger });
    server.addService(loadProbePackage(), PROBE_SERVICE, probeImplementation({ aborted: [], completed: [] }));
    await server.start();
    const client = probeClient(server.port);
    try {
      expect(lines.find((l) => String(l['msg']).includes('AUTHENTICATION IS DISABLED'))).toMatchObject({ level: 40 });
      await expect(callUnary(client, 'Ingest', { text: 'open' })).resolves.toMatchObject({ subject: 'anonymous' });
    } finally {
      client.close();
      await server.shutdown(0);
    }
  });
});
