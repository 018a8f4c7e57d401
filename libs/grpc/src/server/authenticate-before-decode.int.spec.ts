import { Client, credentials, Metadata, status as Status, type ServiceDefinition, type ServiceError } from '@grpc/grpc-js';
import { type PackageDefinition } from '@grpc/proto-loader';
import { createDevelopmentToken } from '../auth/development-token';
import { decodeGrpcError } from '../errors/grpc-error.decoder';
import { captureLogger, loadProbePackage, PROBE_SERVICE, probeImplementation, TEST_JWT_SECRET } from '../testing/probe.fixture';
import { GrpcPlatformServer } from './grpc-platform.server';

/** The probe package with each method's request deserializer counting the messages it decodes. */
function countingProbePackage(decoded: Record<string, number>): PackageDefinition {
  const pkg = loadProbePackage();
  const service = pkg[PROBE_SERVICE] as ServiceDefinition;
  const counted = Object.fromEntries(
    Object.entries(service).map(([method, def]) => [
      method,
      {
        ...def,
        requestDeserialize: (bytes: Buffer) => {
          decoded[method] = (decoded[method] ?? 0) + 1;
          return def.requestDeserialize(bytes);
        },
      },
    ]),
  );
  return { ...pkg, [PROBE_SERVICE]: counted as unknown as PackageDefinition[string] };
}

/** Not protobuf: field 15 with wire type 7, which does not exist. */
const MALFORMED = Buffer.from([0x7f, 0x01]);
const ECHO_HI = Buffer.from([0x0a, 0x02, 0x68, 0x69]); // EchoRequest { text: "hi" }
const bytes = (b: Buffer): Buffer => b;

describe('authentication before decoding', () => {
  const decoded: Record<string, number> = {};
  const operator = createDevelopmentToken(TEST_JWT_SECRET, ['operator'], 'op');
  const ingester = createDevelopmentToken(TEST_JWT_SECRET, ['ingest'], 'writer');
  let server: GrpcPlatformServer;
  let client: Client;

  beforeAll(async () => {
    server = new GrpcPlatformServer({ config: { host: '127.0.0.1', port: 0, auth: { jwt: { hs256Secrets: [TEST_JWT_SECRET], development: true } } }, logger: captureLogger().logger });
    server.addService(countingProbePackage(decoded), PROBE_SERVICE, probeImplementation({ aborted: [], completed: [] }));
    await server.start();
    client = new Client(`127.0.0.1:${server.port}`, credentials.createInsecure());
  });
  beforeEach(() => {
    for (const key of Object.keys(decoded)) delete decoded[key];
  });
  afterAll(async () => {
    client.close();
    await server.shutdown(1000);
  });

  const withToken = (token?: string): Metadata => {
    const metadata = new Metadata();
    if (token) metadata.set('authorization', `Bearer ${token}`);
    return metadata;
  };

  function unaryRaw(method: string, payload: Buffer, token?: string): Promise<{ error?: ServiceError; response?: Buffer }> {
    return new Promise((resolve) => {
      client.makeUnaryRequest(`/${PROBE_SERVICE}/${method}`, bytes, bytes, payload, withToken(token), (error, response) => resolve({ error: error ?? undefined, response }));
    });
  }

  function bidiRaw(method: string, payloads: Buffer[], token?: string): Promise<{ error?: ServiceError; responses: Buffer[] }> {
    return new Promise((resolve) => {
      const call = client.makeBidiStreamRequest(`/${PROBE_SERVICE}/${method}`, bytes, bytes, withToken(token));
      const responses: Buffer[] = [];
      call.on('data', (response: Buffer) => responses.push(response));
      call.on('error', (error: ServiceError) => resolve({ error, responses }));
      call.on('end', () => resolve({ responses }));
      for (const payload of payloads) call.write(payload);
      call.end();
    });
  }

  it('answers an unauthenticated unary call UNAUTHENTICATED without decoding its malformed payload', async () => {
    const { error } = await unaryRaw('Echo', MALFORMED);
    expect(error?.code).toBe(Status.UNAUTHENTICATED);
    expect(decoded).toEqual({});
  });

  it('answers an unauthorised unary call PERMISSION_DENIED without decoding it', async () => {
    const { error } = await unaryRaw('Ingest', ECHO_HI, operator);
    expect(error?.code).toBe(Status.PERMISSION_DENIED);
    expect(decoded).toEqual({});
  });

  it('never decodes the messages of an unauthenticated bidirectional stream', async () => {
    const { error, responses } = await bidiRaw('Chat', [MALFORMED, ECHO_HI, MALFORMED]);
    expect(error?.code).toBe(Status.UNAUTHENTICATED);
    expect(responses).toEqual([]);
    expect(decoded).toEqual({});
  });

  it('never decodes the messages of a client stream from a caller without the role', async () => {
    const result = await new Promise<ServiceError | null>((resolve) => {
      const call = client.makeClientStreamRequest(`/${PROBE_SERVICE}/Sum`, bytes, bytes, withToken(operator), (error) => resolve(error));
      call.write(MALFORMED);
      call.end();
    });
    expect(result?.code).toBe(Status.PERMISSION_DENIED);
    expect(decoded).toEqual({});
  });

  it('decodes after authentication: a valid request is answered, a malformed one is INVALID_ARGUMENT', async () => {
    const ok = await unaryRaw('Echo', ECHO_HI, operator);
    expect(ok.error).toBeUndefined();
    expect(ok.response?.includes(Buffer.from('hi'))).toBe(true);
    const bad = await unaryRaw('Echo', MALFORMED, operator);
    expect(bad.error?.code).toBe(Status.INVALID_ARGUMENT);
    expect(decodeGrpcError(bad.error)).toMatchObject({ code: 'GRPC.INVALID_REQUEST' });
    expect(decoded).toEqual({ Echo: 2 });
  });

  it('decodes each message of an authenticated stream and refuses a malformed one with INVALID_ARGUMENT', async () => {
    const { error, responses } = await bidiRaw('Chat', [ECHO_HI, MALFORMED], operator);
    expect(responses).toHaveLength(1);
    expect(error?.code).toBe(Status.INVALID_ARGUMENT);
    expect(decoded).toEqual({ Chat: 2 });
    const sum = await new Promise<ServiceError | null>((resolve) => {
      const call = client.makeClientStreamRequest(`/${PROBE_SERVICE}/Sum`, bytes, bytes, withToken(ingester), (e) => resolve(e));
      call.write(Buffer.from([0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f])); // SumRequest { value: 1 }
      call.end();
    });
    expect(sum).toBeNull();
    expect(decoded).toEqual({ Chat: 2, Sum: 1 });
  });
});
