import { type Metadata } from '@grpc/grpc-js';
import { type Context } from '@opentelemetry/api';
import { type Logger } from 'pino';
import { type Principal, type Role } from '../auth/roles';

/** What a handler knows about the call it serves. */
export interface CallContext {
  /** Full method name, `reflux.ingestion.v1.IngestionService/WriteSamples`. */
  readonly method: string;
  readonly principal: Principal;
  /**
   * Aborted when the call is cancelled by the client, its deadline passes or the server is forced
   * down. Pass it to every awaitable (pg query, fetch, timers) so abandoned work stops.
   */
  readonly signal: AbortSignal;
  /** The call's deadline, when the client set one. */
  readonly deadline?: Date;
  /** Incoming request metadata. */
  readonly metadata: Metadata;
  /** Child logger bound to method, subject and trace id. */
  readonly logger: Logger;
  /** OpenTelemetry context holding this call's server span (child of the caller's `traceparent`). */
  readonly traceContext: Context;
  /** W3C trace id of the call, when the caller sent a valid `traceparent`. */
  readonly traceId?: string;
  readonly peer: string;
}

export type UnaryHandler<Req, Res> = (request: Req, ctx: CallContext) => Promise<Res> | Res;
export type ServerStreamHandler<Req, Res> = (request: Req, ctx: CallContext) => AsyncIterable<Res>;
export type ClientStreamHandler<Req, Res> = (requests: AsyncIterable<Req>, ctx: CallContext) => Promise<Res>;
export type BidiStreamHandler<Req, Res> = (requests: AsyncIterable<Req>, ctx: CallContext) => AsyncIterable<Res>;

/* eslint-disable @typescript-eslint/no-explicit-any -- implementations are checked per method by the helpers below */
export type MethodImplementation<Req = any, Res = any> =
  | { readonly kind: 'unary'; readonly roles: readonly Role[]; readonly handler: UnaryHandler<Req, Res> }
  | { readonly kind: 'serverStream'; readonly roles: readonly Role[]; readonly handler: ServerStreamHandler<Req, Res> }
  | { readonly kind: 'clientStream'; readonly roles: readonly Role[]; readonly handler: ClientStreamHandler<Req, Res> }
  | { readonly kind: 'bidiStream'; readonly roles: readonly Role[]; readonly handler: BidiStreamHandler<Req, Res> };
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Implementation of one service: every RPC of the proto service, keyed by its proto name. */
export type ServiceImplementation = Readonly<Record<string, MethodImplementation>>;

/** A unary RPC callable by principals holding any of `roles` (admins always). */
export function unary<Req, Res>(roles: readonly Role[], handler: UnaryHandler<Req, Res>): MethodImplementation<Req, Res> {
  return { kind: 'unary', roles, handler };
}

/** A server-streaming RPC: yield responses; the stream ends when the iterable does. */
export function serverStream<Req, Res>(roles: readonly Role[], handler: ServerStreamHandler<Req, Res>): MethodImplementation<Req, Res> {
  return { kind: 'serverStream', roles, handler };
}

/** A client-streaming RPC: consume the requests, return one response. */
export function clientStream<Req, Res>(roles: readonly Role[], handler: ClientStreamHandler<Req, Res>): MethodImplementation<Req, Res> {
  return { kind: 'clientStream', roles, handler };
}

/** A bidirectional-streaming RPC. */
export function bidiStream<Req, Res>(roles: readonly Role[], handler: BidiStreamHandler<Req, Res>): MethodImplementation<Req, Res> {
  return { kind: 'bidiStream', roles, handler };
}
