import { setTimeout as sleep } from 'node:timers/promises';
import { credentials, loadPackageDefinition, Metadata, type ChannelCredentials, type Client, type ClientOptions, type ServiceError } from '@grpc/grpc-js';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import pino, { type Logger } from 'pino';
import { type CallContext, type ServiceImplementation, bidiStream, clientStream, serverStream, unary } from '../call/call-context';
import { PlatformDomainError } from '../errors/domain-error';
import { GRPC_LIB_PROTO_ROOT, REPOSITORY_PROTO_ROOT } from '../platform-protos';

export const PROBE_SERVICE = 'reflux.grpctest.v1.ProbeService';
export const TEST_JWT_SECRET = 'test-secret-of-at-least-thirty-two-characters';

export function loadProbePackage(): PackageDefinition {
  return loadSync('probe.proto', {
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
    includeDirs: [__dirname, REPOSITORY_PROTO_ROOT],
  });
}

export function loadClientPackage(file: string, includeDirs: string[] = []): PackageDefinition {
  return loadSync(file, { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [GRPC_LIB_PROTO_ROOT, REPOSITORY_PROTO_ROOT, ...includeDirs] });
}

/** Records what handlers saw, so tests can assert on server-side behaviour. */
export interface ProbeObservations {
  aborted: { method: string; reason: string }[];
  completed: string[];
  /** Called with each request object a Chat handler reads. */
  onChatRequest?: (request: object) => void;
}

interface EchoRequest {
  text: string;
  workMs: string;
  payload: Buffer;
}

async function work(ms: number, ctx: CallContext, observations: ProbeObservations): Promise<void> {
  try {
    await sleep(ms, undefined, { signal: ctx.signal });
  } catch (error) {
    observations.aborted.push({ method: ctx.method, reason: String((ctx.signal.reason as Error | undefined)?.message ?? error) });
    throw error;
  }
}

export function probeImplementation(observations: ProbeObservations): ServiceImplementation {
  const echo = async (request: EchoRequest, ctx: CallContext) => {
    if (Number(request.workMs) > 0) await work(Number(request.workMs), ctx, observations);
    observations.completed.push(request.text);
    return { text: request.text, subject: ctx.principal.subject, traceId: ctx.traceId ?? '', payloadBytes: request.payload.length, roles: [...ctx.principal.roles] };
  };
  return {
    Echo: unary(['viewer', 'operator'], echo),
    Ingest: unary(['ingest'], echo),
    Fail: unary(['viewer'], async (request: { mode: string }) => {
      switch (request.mode) {
        case 'validation':
          throw new PlatformDomainError('GRPCTEST.INVALID_SAMPLE', 'sample rejected', {
            fieldViolations: [
              { field: 'samples[3].value', description: 'must be finite', reason: 'NOT_FINITE' },
              { field: 'samples[3].unit', description: 'unknown unit "kg/fortnight"' },
            ],
          });
        case 'not-found':
          throw Object.assign(new Error('tag FI-101 not found'), { code: 'GRPCTEST.TAG_NOT_FOUND', retriable: false, metadata: { tag_id: 'FI-101' } });
        case 'conflict':
          throw new PlatformDomainError('GRPCTEST.WRONG_EXPECTED_VERSION', 'stream moved on', { kind: 'conflict' });
        case 'unavailable':
          throw new PlatformDomainError('GRPCTEST.STORE_UNREACHABLE', 'event store unreachable', { retriable: true, retryAfterMs: 1500 });
        default:
          throw new Error('connect ECONNREFUSED 10.0.0.7:5432 at /srv/secret/path.ts:12');
      }
    }),
    Count: serverStream(['viewer'], async function* (request: { count: number; intervalMs: string }, ctx: CallContext) {
      for (let value = 1; value <= request.count; value++) {
        if (Number(request.intervalMs) > 0) await work(Number(request.intervalMs), ctx, observations);
        yield { value };
      }
    }),
    Sum: clientStream(['ingest'], async (requests: AsyncIterable<{ value: number }>) => {
      let total = 0;
      let count = 0;
      for await (const request of requests) {
        total += request.value;
        count++;
      }
      return { total, count };
    }),
    Chat: bidiStream(['operator'], async function* (requests: AsyncIterable<EchoRequest>, ctx: CallContext) {
      try {
        for await (const request of requests) {
          observations.onChatRequest?.(request);
          yield await echo(request, ctx);
        }
        observations.completed.push('chat-ended');
      } catch (error) {
        if (ctx.signal.aborted) observations.aborted.push({ method: ctx.method, reason: (ctx.signal.reason as Error).message });
        throw error;
      }
    }),
  };
}

type Callable = (request: unknown, metadata: Metadata, options: { deadline?: Date }, callback: (error: ServiceError | null, response: unknown) => void) => unknown;

/** A grpc-js client of ProbeService with promise-returning unary helpers. */
export function probeClient(port: number, creds: ChannelCredentials = credentials.createInsecure(), options: ClientOptions = {}): Client & Record<string, Callable> {
  const pkg = loadPackageDefinition(loadProbePackage()) as unknown as { reflux: { grpctest: { v1: { ProbeService: new (address: string, creds: ChannelCredentials, options?: ClientOptions) => Client & Record<string, Callable> } } } };
  return new pkg.reflux.grpctest.v1.ProbeService(`localhost:${port}`, creds, options);
}

export function callUnary<Res = Record<string, unknown>>(
  client: Record<string, Callable>,
  method: string,
  request: unknown,
  options: { token?: string; apiKey?: string; deadline?: Date; metadata?: Metadata } = {},
): Promise<Res> {
  const metadata = options.metadata ?? new Metadata();
  if (options.token) metadata.set('authorization', `Bearer ${options.token}`);
  if (options.apiKey) metadata.set('x-api-key', options.apiKey);
  return new Promise((resolve, reject) => {
    client[method]!.call(client, request, metadata, { deadline: options.deadline }, (error, response) => (error ? reject(error) : resolve(response as Res)));
  });
}

/** Captures log lines so tests can assert on what the server logged. */
export function captureLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

