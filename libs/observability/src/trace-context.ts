import {
  type Attributes,
  type Context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapSetter,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';

/**
 * Where trace context travels: a plain record (event metadata, HTTP-like headers), Kafka message
 * headers (values may be Buffers or arrays) or gRPC `Metadata` (anything with `get`/`set`).
 */
export type TraceCarrier =
  | Record<string, string | Buffer | readonly (string | Buffer)[] | undefined | null | unknown>
  | { get(key: string): readonly (string | Buffer)[]; set(key: string, value: string): void };

const isMetadata = (c: TraceCarrier): c is { get(key: string): (string | Buffer)[]; set(key: string, value: string): void } =>
  typeof (c as { get?: unknown }).get === 'function' && typeof (c as { set?: unknown }).set === 'function';

const text = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (Array.isArray(v)) return text(v[0]);
  return undefined;
};

const getter: TextMapGetter<TraceCarrier> = {
  keys: (c) => (isMetadata(c) ? [] : Object.keys(c)),
  get: (c, key) => {
    if (isMetadata(c)) return text(c.get(key));
    const record = c as Record<string, unknown>;
    return text(record[key] ?? record[findKey(record, key)]);
  },
};

const setter: TextMapSetter<TraceCarrier> = {
  set: (c, key, value) => {
    if (isMetadata(c)) c.set(key, value);
    else (c as Record<string, unknown>)[key] = value;
  },
};

// Header names are case-insensitive in HTTP and Kafka tooling often capitalises them.
function findKey(record: Record<string, unknown>, key: string): string {
  for (const k of Object.keys(record)) if (k.toLowerCase() === key) return k;
  return key;
}

/**
 * Writes `traceparent` (and `tracestate`, `baggage` when present) of the given context (default:
 * the active one) into the carrier and returns it. Writes nothing when there is no valid span
 * context, so untraced messages stay untouched.
 */
export function injectTraceContext<C extends TraceCarrier>(carrier: C, ctx: Context = context.active()): C {
  propagation.inject(ctx, carrier, setter);
  return carrier;
}

/** Reads `traceparent`/`tracestate` from the carrier into a context derived from `base` (default: active). */
export function extractTraceContext(carrier: TraceCarrier | undefined | null, base: Context = context.active()): Context {
  if (!carrier) return base;
  return propagation.extract(base, carrier, getter);
}

export interface SpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  /** Parent: a context, or a carrier to extract one from (an incoming message's headers). */
  readonly parent?: Context | TraceCarrier;
  /** Tracer name; defaults to `reflux`. */
  readonly tracer?: string;
}

const isContext = (v: unknown): v is Context => typeof (v as Context | undefined)?.getValue === 'function' && typeof (v as Context).setValue === 'function';

/**
 * Runs `fn` inside a new span that is active for everything `fn` awaits. The span ends when `fn`
 * settles; a thrown error is recorded and the status set to ERROR, then rethrown. With tracing
 * off the span is non-recording but still carries the parent's trace id onwards.
 */
export async function withSpan<T>(name: string, fn: (span: Span) => Promise<T> | T, options: SpanOptions = {}): Promise<T> {
  const parent = options.parent === undefined ? context.active() : isContext(options.parent) ? options.parent : extractTraceContext(options.parent as TraceCarrier);
  const span = trace.getTracer(options.tracer ?? 'reflux').startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}

/** Trace id of the active span (for log lines), or undefined. */
export function activeTraceId(): string | undefined {
  const sc = trace.getActiveSpan()?.spanContext();
  return sc && trace.isSpanContextValid(sc) ? sc.traceId : undefined;
}

export { SpanKind };
