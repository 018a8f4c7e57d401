import { once, type EventEmitter } from 'node:events';
import { type Readable } from 'node:stream';
import {
  status as Status,
  type handleBidiStreamingCall,
  type handleClientStreamingCall,
  type handleServerStreamingCall,
  type handleUnaryCall,
  Metadata,
  type ServerDuplexStream,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type StatusObject,
  type UntypedHandleCall,
} from '@grpc/grpc-js';
import { context, isSpanContextValid, SpanKind, SpanStatusCode, trace, type TextMapPropagator, type Tracer } from '@opentelemetry/api';
import { type Logger } from 'pino';
import { AuthenticationError, type Authenticator } from '../auth/authenticator';
import { hasAnyRole } from '../auth/roles';
import { PlatformDomainError } from '../errors/domain-error';
import { platformStatus, toGrpcStatus } from '../errors/error-status.mapper';
import { type GrpcServerMetrics, type RpcType } from '../telemetry/grpc-metrics';
import { extractTraceContext } from '../telemetry/trace-context';
import { type CallContext, type MethodImplementation } from './call-context';

export interface CallPipelineDeps {
  readonly authenticator: Authenticator;
  readonly logger: Logger;
  readonly metrics?: GrpcServerMetrics;
  readonly propagator?: TextMapPropagator;
  readonly tracer: Tracer;
  /** Aborted when the server is forced down: every in-flight call's signal follows it. */
  readonly shutdownSignal: AbortSignal;
  /** Level of the per-call log line of successful calls (failures log at warn, internal errors at error). */
  readonly okCallLogLevel?: 'debug' | 'info';
}

type AnyCall = ServerUnaryCall<unknown, unknown> | ServerReadableStream<unknown, unknown> | ServerWritableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>;
type Reply = (status: StatusObject | null, response?: unknown) => void;

const RPC_TYPE: Record<MethodImplementation['kind'], RpcType> = { unary: 'unary', serverStream: 'server_stream', clientStream: 'client_stream', bidiStream: 'bidi_stream' };
const MAX_TIMER_MS = 2 ** 31 - 1;

class CallAborted extends Error {
  constructor(readonly status: Status) {
    super(Status[status]);
  }
}

/**
 * Wraps one method implementation into a grpc-js handler. Handler wrapping (rather than grpc-js
 * server interceptors) lets the pipeline hand the handler a typed CallContext (principal, abort
 * signal, logger, trace context) and lets each method declare its roles next to its code.
 * Per call: trace context -> metrics -> deadline/cancellation -> authentication -> authorisation
 * -> handler -> error mapping -> log line.
 */
export class CallPipeline {
  constructor(private readonly deps: CallPipelineDeps) {}

  /**
   * `decode` turns the request bytes into the message: grpc-js is given a pass-through
   * deserializer, so nothing of an unauthenticated or unauthorised call's payload is decoded.
   */
  wrap(service: string, method: string, impl: MethodImplementation, decode: (bytes: Buffer) => unknown): UntypedHandleCall {
    const request = (bytes: unknown): unknown => decodeRequest(decode, bytes, `${service}/${method}`);
    switch (impl.kind) {
      case 'unary':
        return ((call, callback) =>
          this.handle(service, method, impl, call, (status, response) => (status ? callback(status) : callback(null, response)), async (ctx) =>
            impl.handler(request(call.request), ctx),
          )) satisfies handleUnaryCall<unknown, unknown>;
      case 'clientStream':
        return ((call, callback) =>
          this.handle(service, method, impl, call, (status, response) => (status ? callback(status) : callback(null, response)), (ctx) =>
            impl.handler(requestsOf(call, ctx.signal, request), ctx),
          )) satisfies handleClientStreamingCall<unknown, unknown>;
      case 'serverStream':
        return ((call) =>
          this.handle(service, method, impl, call, endStream(call), async (ctx) => pump(impl.handler(request(call.request), ctx), call, ctx.signal))) satisfies handleServerStreamingCall<
          unknown,
          unknown
        >;
      case 'bidiStream':
        return ((call) =>
          this.handle(service, method, impl, call, endStream(call), (ctx) =>
            pump(impl.handler(requestsOf(call, ctx.signal, request), ctx), call, ctx.signal),
          )) satisfies handleBidiStreamingCall<unknown, unknown>;
    }
  }

  private handle(service: string, method: string, impl: MethodImplementation, call: AnyCall, reply: Reply, body: (ctx: CallContext) => Promise<unknown>): void {
    const started = process.hrtime.bigint();
    const labels = { grpc_type: RPC_TYPE[impl.kind], grpc_service: service, grpc_method: method };
    const fullMethod = `${service}/${method}`;
    this.deps.metrics?.callStarted(labels);

    const parent = extractTraceContext(call.metadata, this.deps.propagator);
    const span = this.deps.tracer.startSpan(fullMethod, { kind: SpanKind.SERVER, attributes: { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': method } }, parent);
    const traceContext = trace.setSpan(parent, span);
    const spanContext = span.spanContext();
    const traceId = isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
    let logger = this.deps.logger.child({ grpcMethod: fullMethod, ...(traceId ? { traceId } : {}) });

    // cancellation: client cancel, deadline, forced shutdown
    const abort = new AbortController();
    const deadline = deadlineOf(call);
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    const complete = (status: StatusObject | null, code: Status, response?: unknown, error?: unknown, incidentId?: string): void => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      (call as EventEmitter).off('cancelled', onCancelled);
      this.deps.shutdownSignal.removeEventListener('abort', onShutdown);
      if (!abort.signal.aborted) abort.abort(new CallAborted(code));
      if (code !== Status.CANCELLED) reply(status, response);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const codeName = Status[code] ?? String(code);
      this.deps.metrics?.callHandled(labels, codeName, seconds);
      span.setAttribute('rpc.grpc.status_code', code);
      if (code !== Status.OK) span.setStatus({ code: SpanStatusCode.ERROR, message: status?.details ?? codeName });
      span.end();
      const entry = { grpcCode: codeName, durationMs: Math.round(seconds * 1e6) / 1e3, peer: call.getPeer() };
      if (incidentId !== undefined) logger.error({ ...entry, err: error, incidentId }, 'grpc call failed with an internal error');
      else if (code === Status.OK) logger[this.deps.okCallLogLevel ?? 'info'](entry, 'grpc call');
      else logger.warn({ ...entry, reason: status?.details ?? codeName }, 'grpc call failed');
    };
    const onShutdown = (): void => abort.abort(new CallAborted(Status.UNAVAILABLE));
    const onCancelled = (): void => {
      abort.abort(new CallAborted(Status.CANCELLED));
      complete(null, Status.CANCELLED);
    };
    (call as EventEmitter).on('cancelled', onCancelled);
    this.deps.shutdownSignal.addEventListener('abort', onShutdown, { once: true });
    if (this.deps.shutdownSignal.aborted) onShutdown();
    if (deadline) {
      const remaining = deadline.getTime() - Date.now();
      const expire = (): void => {
        abort.abort(new CallAborted(Status.DEADLINE_EXCEEDED));
        complete(platformStatus(Status.DEADLINE_EXCEEDED, 'GRPC.DEADLINE_EXCEEDED', 'deadline exceeded', true), Status.DEADLINE_EXCEEDED);
      };
      if (remaining <= 0) expire();
      else if (remaining < MAX_TIMER_MS) timer = setTimeout(expire, remaining);
    }


    let principal;
    try {
      principal = this.deps.authenticator.authenticate(call.metadata);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) {
        const mapped = toGrpcStatus(error);
        return complete(mapped, mapped.code, undefined, error, mapped.incidentId);
      }
      return complete(platformStatus(Status.UNAUTHENTICATED, 'GRPC.UNAUTHENTICATED', error.message), Status.UNAUTHENTICATED);
    }
    logger = logger.child({ subject: principal.subject });
    if (!hasAnyRole(principal, impl.roles)) {
      const message = `${fullMethod} requires one of the roles ${impl.roles.join(', ')}; ${principal.subject} has ${principal.roles.join(', ') || 'none'}`;
      return complete(platformStatus(Status.PERMISSION_DENIED, 'GRPC.PERMISSION_DENIED', message), Status.PERMISSION_DENIED);
    }
    if (finished) return;

    const ctx: CallContext = { method: fullMethod, principal, signal: abort.signal, deadline, metadata: call.metadata, logger, traceContext, traceId, peer: call.getPeer() };
    context
      .with(traceContext, () => body(ctx))
      .then(
        (response) => complete(null, Status.OK, response),
        (error: unknown) => {
          if (abort.signal.aborted && abort.signal.reason instanceof CallAborted) {
            const code = abort.signal.reason.status;
            return complete({ code, details: code === Status.UNAVAILABLE ? 'server shutting down' : Status[code], metadata: new Metadata() }, code);
          }
          const mapped = toGrpcStatus(error);
          complete(mapped, mapped.code, undefined, error, mapped.incidentId);
        },
      );
  }
}

function deadlineOf(call: AnyCall): Date | undefined {
  const deadline = call.getDeadline();
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

function endStream(call: ServerWritableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>): Reply {
  return (status) => {
    if (status) call.emit('error', status);
    else call.end();
  };
}

/**
 * The request stream as an async iterable that throws the abort reason when the call is cancelled,
 * its deadline passes or the server is forced down (a plain stream iterator would wait forever, or
 * report a cancelled stream as complete), and that leaves the call intact when the handler stops
 * reading early.
 *
 * Each read listens for the abort only while it waits: racing every read against one promise
 * that lives as long as the call would attach a reaction to it per message, and those reactions
 * keep every message of a long-lived stream reachable until the call ends.
 */
async function* requestsOf(call: Readable, signal: AbortSignal, decode: (bytes: unknown) => unknown): AsyncGenerator<unknown> {
  const iterator = call.iterator({ destroyOnReturn: false });
  signal.throwIfAborted();
  for (;;) {
    const next = await nextOrAbort(iterator, signal);
    if (next.done) {
      // A client's RST_STREAM surfaces as end-of-stream just before the call's 'cancelled'
      // event: let that event land so a cancelled stream is never mistaken for a complete one.
      await new Promise((resolve) => setImmediate(resolve));
      signal.throwIfAborted();
      return;
    }
    yield decode(next.value);
  }
}

/** The request message from its bytes; undecodable bytes are the caller's error (INVALID_ARGUMENT). */
function decodeRequest(decode: (bytes: Buffer) => unknown, bytes: unknown, method: string): unknown {
  try {
    return decode(bytes as Buffer);
  } catch (error) {
    throw new PlatformDomainError('GRPC.INVALID_REQUEST', `the request is not a valid ${method} message: ${(error as Error).message}`, { kind: 'validation' });
  }
}

/** The iterator's next result, or a rejection with the abort reason if the signal fires first. */
function nextOrAbort<T>(iterator: AsyncIterator<T>, signal: AbortSignal): Promise<IteratorResult<T>> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    iterator.next().then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Writes every yielded response, honouring back-pressure; stops when the call is aborted. */
async function pump(responses: AsyncIterable<unknown>, call: ServerWritableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>, signal: AbortSignal): Promise<void> {
  for await (const response of responses) {
    signal.throwIfAborted();
    if (!call.write(response)) await once(call, 'drain', { signal });
  }
}
