import { credentials, loadPackageDefinition, Metadata, status as Status, type Client, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import jwt from 'jsonwebtoken';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Registry } from 'prom-client';
import { generateApiKey } from '../auth/api-key';
import { createDevelopmentToken } from '../auth/development-token';
import { decodeGrpcError } from '../errors/grpc-error.decoder';
import { callUnary, captureLogger, loadClientPackage, loadProbePackage, PROBE_SERVICE, probeClient, probeImplementation, TEST_JWT_SECRET, type ProbeObservations } from '../testing/probe.fixture';
import { GrpcPlatformServer } from './grpc-platform.server';

describe('GrpcPlatformServer', () => {
  const apiKey = generateApiKey();
  const observations: ProbeObservations = { aborted: [], completed: [] };
  const registry = new Registry();
  const { logger, lines } = captureLogger();
  let server: GrpcPlatformServer;
  let client: ReturnType<typeof probeClient>;
  const viewer = createDevelopmentToken(TEST_JWT_SECRET, ['viewer'], 'alice');
  const ingester = createDevelopmentToken(TEST_JWT_SECRET, ['ingest'], 'historian-connector');

  beforeAll(async () => {
    server = new GrpcPlatformServer({
      config: {
        host: '127.0.0.1',
        port: 0,
        maxReceiveMessageBytes: 64 * 1024,
        reflection: true,
        auth: { jwt: { hs256Secrets: [TEST_JWT_SECRET], development: true }, apiKeys: [{ id: 'mes-bridge', sha256: apiKey.sha256, roles: ['integrator', 'ingest'] }] },
      },
      logger,
      metricsRegistry: registry,
    });
    server.addService(loadProbePackage(), PROBE_SERVICE, probeImplementation(observations));
    await server.start();
    client = probeClient(server.port);
  });

  afterAll(async () => {
    client.close();
    await server.shutdown(1000);
  });

  async function rejection(promise: Promise<unknown>): Promise<ServiceError> {
    try {
      await promise;
    } catch (error) {
      return error as ServiceError;
    }
    throw new Error('expected the call to fail');
  }

  describe('authentication and authorisation', () => {
    it('answers a call without credentials with UNAUTHENTICATED', async () => {
      const error = await rejection(callUnary(client, 'Echo', { text: 'hi' }));
      expect(error.code).toBe(Status.UNAUTHENTICATED);
      expect(decodeGrpcError(error).code).toBe('GRPC.UNAUTHENTICATED');
      expect(observations.completed).not.toContain('hi');
    });

    it('answers a principal without a required role with PERMISSION_DENIED', async () => {
      const error = await rejection(callUnary(client, 'Ingest', { text: 'not-allowed' }, { token: viewer }));
      expect(error.code).toBe(Status.PERMISSION_DENIED);
      expect(error.details).toContain('ingest');
      expect(observations.completed).not.toContain('not-allowed');
    });

    it('serves a valid JWT and hands the handler its principal', async () => {
      const response = await callUnary(client, 'Echo', { text: 'jwt' }, { token: viewer });
      expect(response).toMatchObject({ text: 'jwt', subject: 'alice', roles: ['viewer'] });
    });

    it('serves a valid API key as bearer token and as x-api-key', async () => {
      await expect(callUnary(client, 'Ingest', { text: 'k1' }, { token: apiKey.key })).resolves.toMatchObject({ subject: 'apikey:mes-bridge' });
      await expect(callUnary(client, 'Ingest', { text: 'k2' }, { apiKey: apiKey.key })).resolves.toMatchObject({ subject: 'apikey:mes-bridge' });
    });

    it('lets an admin call every method', async () => {
      const admin = createDevelopmentToken(TEST_JWT_SECRET, ['admin'], 'root');
      await expect(callUnary(client, 'Ingest', { text: 'admin' }, { token: admin })).resolves.toMatchObject({ subject: 'root' });
    });

    it('rejects an expired JWT, a JWT signed with another secret and an unknown API key', async () => {
      const expired = jwt.sign({ roles: ['viewer'], exp: Math.floor(Date.now() / 1000) - 60 }, TEST_JWT_SECRET, { subject: 'alice' });
      const expiredError = await rejection(callUnary(client, 'Echo', { text: 'expired' }, { token: expired }));
      expect(expiredError.code).toBe(Status.UNAUTHENTICATED);
      expect(expiredError.details).toMatch(/expired/);

      const forged = createDevelopmentToken('another-secret-of-at-least-thirty-two-chars', ['admin'], 'mallory');
      expect((await rejection(callUnary(client, 'Echo', { text: 'forged' }, { token: forged }))).code).toBe(Status.UNAUTHENTICATED);
      expect((await rejection(callUnary(client, 'Echo', { text: 'key' }, { token: 'rfx_not-a-configured-key' }))).code).toBe(Status.UNAUTHENTICATED);
      expect(observations.completed).not.toEqual(expect.arrayContaining(['expired', 'forged', 'key']));
    });

    it('rejects an unsigned (alg none) token', async () => {
      const none = jwt.sign({ roles: ['admin'], sub: 'mallory' }, '', { algorithm: 'none' }) + 'x';
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify({ sub: 'mallory', roles: ['admin'] })).toString('base64url');
      for (const token of [none, `${header}.${payload}.c2ln`]) {
        expect((await rejection(callUnary(client, 'Echo', { text: 'none' }, { token }))).code).toBe(Status.UNAUTHENTICATED);
      }
    });
  });

  describe('health and reflection', () => {
    it('answers health Check and List for the server and each service without credentials', async () => {
      const health = healthClient(server.port);
      try {
        await expect(check(health, '')).resolves.toEqual({ status: 'SERVING' });
        await expect(check(health, PROBE_SERVICE)).resolves.toEqual({ status: 'SERVING' });
        expect((await rejection(check(health, 'reflux.nope.v1.NopeService'))).code).toBe(Status.NOT_FOUND);
        const list = await new Promise((resolve, reject) => (health as unknown as Record<string, (r: unknown, cb: (e: unknown, r: unknown) => void) => void>)['List']!({}, (e, r) => (e ? reject(e) : resolve(r))));
        expect(list).toEqual({ statuses: { '': { status: 'SERVING' }, [PROBE_SERVICE]: { status: 'SERVING' } } });
      } finally {
        health.close();
      }
    });

    it('lists services through reflection v1 and v1alpha without credentials', async () => {
      for (const version of ['v1', 'v1alpha']) {
        const services = await listServicesByReflection(server.port, version);
        expect(services).toEqual(expect.arrayContaining([PROBE_SERVICE, 'grpc.health.v1.Health']));
      }
    });

    it('serves the file descriptors of a service and its imports through reflection (grpcurl describe)', async () => {
      const files = await reflectionFilesFor(server.port, PROBE_SERVICE);
      // @grpc/reflection names the descriptors it serves after their package
      expect(files).toEqual(expect.arrayContaining(['reflux_grpctest_v1.proto', 'reflux_common_v1.proto']));
    });
  });

  describe('deadlines and cancellation', () => {
    it('ends a call that outlives its deadline with DEADLINE_EXCEEDED and aborts the handler', async () => {
      const error = await rejection(callUnary(client, 'Echo', { text: 'slow', workMs: 5000 }, { token: viewer, deadline: new Date(Date.now() + 150) }));
      expect(error.code).toBe(Status.DEADLINE_EXCEEDED);
      await waitFor(() => observations.aborted.some((a) => a.method.endsWith('/Echo')));
      expect(observations.completed).not.toContain('slow');
    });

    it('stops the work of a call the client cancels', async () => {
      const metadata = new Metadata();
      metadata.set('authorization', `Bearer ${viewer}`);
      const before = observations.aborted.length;
      const call = (client.Count as unknown as (req: unknown, md: Metadata) => NodeJS.EventEmitter & { cancel(): void })({ count: 100, intervalMs: 50 }, metadata);
      const received: number[] = [];
      call.on('data', (m: { value: number }) => {
        received.push(m.value);
        if (received.length === 2) call.cancel();
      });
      const error = await new Promise<ServiceError>((resolve) => call.on('error', resolve));
      expect(error.code).toBe(Status.CANCELLED);
      await waitFor(() => observations.aborted.length > before);
      expect(observations.aborted.at(-1)!.reason).toBe('CANCELLED');
      expect(received).toEqual([1, 2]);
    });
  });

  describe('errors', () => {
    it('maps a validation error to INVALID_ARGUMENT with BadRequest field violations and our ErrorDetail', async () => {
      const decoded = decodeGrpcError(await rejection(callUnary(client, 'Fail', { mode: 'validation' }, { token: viewer })));
      expect(decoded).toMatchObject({ status: Status.INVALID_ARGUMENT, statusName: 'INVALID_ARGUMENT', code: 'GRPCTEST.INVALID_SAMPLE', retriable: false, message: 'sample rejected' });
      expect(decoded.fieldViolations).toEqual([
        { field: 'samples[3].value', description: 'must be finite', reason: 'NOT_FINITE' },
        { field: 'samples[3].unit', description: 'unknown unit "kg/fortnight"', reason: '' },
      ]);
    });

    it.each([
      ['not-found', Status.NOT_FOUND, 'GRPCTEST.TAG_NOT_FOUND', false],
      ['conflict', Status.ABORTED, 'GRPCTEST.WRONG_EXPECTED_VERSION', false],
      ['unavailable', Status.UNAVAILABLE, 'GRPCTEST.STORE_UNREACHABLE', true],
    ])('maps a %s error to status %i with its code and retriability', async (mode, status, code, retriable) => {
      const decoded = decodeGrpcError(await rejection(callUnary(client, 'Fail', { mode }, { token: viewer })));
      expect(decoded).toMatchObject({ status, code, retriable });
    });

    it('carries metadata and the retry delay', async () => {
      expect(decodeGrpcError(await rejection(callUnary(client, 'Fail', { mode: 'not-found' }, { token: viewer }))).metadata).toEqual({ tag_id: 'FI-101' });
      expect(decodeGrpcError(await rejection(callUnary(client, 'Fail', { mode: 'unavailable' }, { token: viewer }))).retryDelayMs).toBe(1500);
    });

    it('answers an unexpected error with INTERNAL, an incident id and no internals, and logs the error', async () => {
      const error = await rejection(callUnary(client, 'Fail', { mode: 'bug' }, { token: viewer }));
      expect(error.code).toBe(Status.INTERNAL);
      expect(error.details).toMatch(/^internal error \(incident [0-9a-f-]{36}\)$/);
      expect(error.details).not.toMatch(/ECONNREFUSED|secret|\.ts/);
      const incident = decodeGrpcError(error).metadata['incident_id'];
      const logged = lines.find((l) => l['incidentId'] === incident);
      expect(logged).toMatchObject({ level: 50, grpcCode: 'INTERNAL' });
      expect(JSON.stringify(logged)).toContain('ECONNREFUSED');
    });
  });

  describe('limits, streaming, telemetry', () => {
    it('rejects a request larger than maxReceiveMessageBytes with RESOURCE_EXHAUSTED', async () => {
      const error = await rejection(callUnary(client, 'Echo', { text: 'big', payload: Buffer.alloc(100 * 1024) }, { token: viewer }));
      expect(error.code).toBe(Status.RESOURCE_EXHAUSTED);
      await expect(callUnary(client, 'Echo', { text: 'small', payload: Buffer.alloc(32 * 1024) }, { token: viewer })).resolves.toMatchObject({ payloadBytes: 32 * 1024 });
    });

    it('streams server responses and sums a client stream', async () => {
      const metadata = new Metadata();
      metadata.set('authorization', `Bearer ${ingester}`);
      const total = await new Promise<unknown>((resolve, reject) => {
        const call = (client.Sum as unknown as (md: Metadata, cb: (e: ServiceError | null, r: unknown) => void) => ClientDuplexStream<unknown, unknown>)(metadata, (e, r) => (e ? reject(e) : resolve(r)));
        for (const value of [1.5, 2.5, 3]) call.write({ value });
        call.end();
      });
      expect(total).toEqual({ total: 7, count: 3 });
    });

    it('answers each message of a bidirectional stream and ends when the client half-closes', async () => {
      const operator = createDevelopmentToken(TEST_JWT_SECRET, ['operator'], 'op');
      const metadata = new Metadata();
      metadata.set('authorization', `Bearer ${operator}`);
      const call = (client.Chat as unknown as (md: Metadata) => ClientDuplexStream<unknown, { text: string }>)(metadata);
      const texts: string[] = [];
      call.on('data', (m) => texts.push(m.text));
      const ended = new Promise<void>((resolve, reject) => call.on('end', resolve).on('error', reject));
      for (const text of ['a', 'b', 'c']) call.write({ text });
      call.end();
      await ended;
      expect(texts).toEqual(['a', 'b', 'c']);
      expect(observations.completed).toContain('chat-ended');
    });

    it('lets the handler drop the requests it has read while a stream stays open', async () => {
      // A stream of a historian connector lives for days: what the handler has read and let go of
      // must be collectable before the stream ends.
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      const operator = createDevelopmentToken(TEST_JWT_SECRET, ['operator'], 'op');
      const metadata = new Metadata();
      metadata.set('authorization', `Bearer ${operator}`);
      const read: WeakRef<object>[] = [];
      observations.onChatRequest = (request) => read.push(new WeakRef(request));
      const call = (client.Chat as unknown as (md: Metadata) => ClientDuplexStream<unknown, { text: string }>)(metadata);
      call.on('error', () => undefined);
      let answered = 0;
      call.on('data', () => answered++);
      try {
        for (let i = 0; i < 50; i++) {
          call.write({ text: `m${i}`, payload: Buffer.alloc(16 * 1024, i) });
          await waitFor(() => answered > i);
        }
        gc();
        await new Promise((resolve) => setImmediate(resolve));
        gc();
        // All but the last few (the handler's current request, grpc-js's read-ahead) are gone.
        expect(read).toHaveLength(50);
        expect(read.slice(0, 45).filter((r) => r.deref() !== undefined)).toHaveLength(0);
      } finally {
        observations.onChatRequest = undefined;
        call.end();
      }
    });

    it('aborts a bidirectional handler waiting for requests when the client cancels', async () => {
      const operator = createDevelopmentToken(TEST_JWT_SECRET, ['operator'], 'op');
      const metadata = new Metadata();
      metadata.set('authorization', `Bearer ${operator}`);
      const before = observations.aborted.length;
      const call = (client.Chat as unknown as (md: Metadata) => ClientDuplexStream<unknown, { text: string }>)(metadata);
      call.on('error', () => undefined);
      const first = new Promise((resolve) => call.once('data', resolve));
      call.write({ text: 'hello' });
      await first;
      call.cancel();
      await waitFor(() => observations.aborted.length > before);
      expect(observations.aborted.at(-1)).toEqual({ method: `${PROBE_SERVICE}/Chat`, reason: 'CANCELLED' });
    });

    it('continues the caller trace and logs it', async () => {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const metadata = new Metadata();
      metadata.set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`);
      const response = await callUnary(client, 'Echo', { text: 'traced' }, { token: viewer, metadata });
      expect(response['traceId']).toBe(traceId);
      expect(lines.some((l) => l['traceId'] === traceId && l['grpcMethod'] === `${PROBE_SERVICE}/Echo` && l['grpcCode'] === 'OK' && l['subject'] === 'alice')).toBe(true);
    });

    it('counts calls and their duration per method and status', async () => {
      const handled = await registry.getSingleMetric('grpc_server_handled_total')!.get();
      const value = (method: string, code: string) => handled.values.find((v) => v.labels['grpc_method'] === method && v.labels['grpc_code'] === code)?.value ?? 0;
      expect(value('Echo', 'OK')).toBeGreaterThanOrEqual(2);
      expect(value('Echo', 'UNAUTHENTICATED')).toBeGreaterThanOrEqual(1);
      expect(value('Ingest', 'PERMISSION_DENIED')).toBe(1);
      expect(value('Fail', 'INVALID_ARGUMENT')).toBe(1);
      const histogram = await registry.getSingleMetric('grpc_server_handling_seconds')!.get();
      expect(histogram.values.some((v) => v.labels['grpc_method'] === 'Echo' && (v as { metricName?: string }).metricName === 'grpc_server_handling_seconds_count' && v.value >= 2)).toBe(true);
    });
  });

  describe('registration', () => {
    it('refuses an implementation that misses an RPC, has an unknown one, the wrong shape or no roles', () => {
      const other = new GrpcPlatformServer({ config: { port: 0, auth: { jwt: { hs256Secrets: [TEST_JWT_SECRET], development: true } } }, logger });
      const impl = probeImplementation(observations);
      const { Echo: _echo, ...withoutEcho } = impl;
      expect(() => other.addService(loadProbePackage(), PROBE_SERVICE, withoutEcho)).toThrow(/Echo is not implemented/);
      expect(() => other.addService(loadProbePackage(), PROBE_SERVICE, { ...impl, Extra: impl['Echo']! })).toThrow(/Extra is not an RPC/);
      expect(() => other.addService(loadProbePackage(), PROBE_SERVICE, { ...impl, Count: impl['Echo']! })).toThrow(/Count is serverStream in the proto but implemented as unary/);
      expect(() => other.addService(loadProbePackage(), PROBE_SERVICE, { ...impl, Echo: { ...impl['Echo']!, roles: [] } })).toThrow(/Echo declares no roles/);
      expect(() => other.addService(loadProbePackage(), 'reflux.grpctest.v1.Missing', impl)).toThrow(/not a service/);
    });
  });
});

function healthClient(port: number): Client & { Check: (req: unknown, cb: (e: ServiceError | null, r: unknown) => void) => void } {
  const pkg = loadPackageDefinition(loadClientPackage('grpc/health/v1/health.proto')) as unknown as {
    grpc: { health: { v1: { Health: new (a: string, c: ReturnType<typeof credentials.createInsecure>) => Client & { Check: (req: unknown, cb: (e: ServiceError | null, r: unknown) => void) => void } } } };
  };
  return new pkg.grpc.health.v1.Health(`localhost:${port}`, credentials.createInsecure());
}

function check(client: ReturnType<typeof healthClient>, service: string): Promise<unknown> {
  return new Promise((resolve, reject) => client.Check({ service }, (e, r) => (e ? reject(e) : resolve(r))));
}

/** Lists services via the reflection protocol, as grpcurl does. */
async function listServicesByReflection(port: number, version: string): Promise<string[]> {
  const reflectionProtoDir = require.resolve('@grpc/reflection/package.json').replace(/package\.json$/, 'build/proto');
  const pkg = loadPackageDefinition(loadClientPackage(`grpc/reflection/${version}/reflection.proto`, [reflectionProtoDir])) as unknown as {
    grpc: { reflection: Record<string, { ServerReflection: new (a: string, c: ReturnType<typeof credentials.createInsecure>) => Client & { ServerReflectionInfo: () => ClientDuplexStream<unknown, unknown> } }> };
  };
  const reflection = new pkg.grpc.reflection[version]!.ServerReflection(`localhost:${port}`, credentials.createInsecure());
  try {
    return await new Promise<string[]>((resolve, reject) => {
      const stream = reflection.ServerReflectionInfo();
      stream.on('data', (response: { listServicesResponse?: { service: { name: string }[] } }) => {
        resolve((response.listServicesResponse?.service ?? []).map((s) => s.name));
        stream.end();
      });
      stream.on('error', reject);
      stream.write({ listServices: '' });
    });
  } finally {
    reflection.close();
  }
}

/** Asks reflection for the files defining a symbol, with their dependencies. */
async function reflectionFilesFor(port: number, symbol: string): Promise<string[]> {
  const reflectionProtoDir = require.resolve('@grpc/reflection/package.json').replace(/package\.json$/, 'build/proto');
  const pkg = loadPackageDefinition(loadClientPackage('grpc/reflection/v1/reflection.proto', [reflectionProtoDir])) as unknown as {
    grpc: { reflection: { v1: { ServerReflection: new (a: string, c: ReturnType<typeof credentials.createInsecure>) => Client & { ServerReflectionInfo: () => ClientDuplexStream<unknown, unknown> } } } };
  };
  const reflection = new pkg.grpc.reflection.v1.ServerReflection(`localhost:${port}`, credentials.createInsecure());
  const { FileDescriptorProto } = await import('protobufjs/ext/descriptor');
  try {
    return await new Promise<string[]>((resolve, reject) => {
      const stream = reflection.ServerReflectionInfo();
      stream.on('data', (response: { fileDescriptorResponse?: { fileDescriptorProto: Buffer[] }; errorResponse?: { errorMessage: string } }) => {
        if (!response.fileDescriptorResponse) return reject(new Error(response.errorResponse?.errorMessage ?? 'no descriptors'));
        resolve(response.fileDescriptorResponse.fileDescriptorProto.map((bytes) => (FileDescriptorProto.decode(bytes) as unknown as { name: string }).name));
        stream.end();
      });
      stream.on('error', reject);
      stream.write({ fileContainingSymbol: symbol });
    });
  } finally {
    reflection.close();
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
