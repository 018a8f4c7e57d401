import { type Metadata } from '@grpc/grpc-js';
import { context, propagation, ROOT_CONTEXT, type Context, type TextMapGetter, type TextMapPropagator, type TextMapSetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

const getter: TextMapGetter<Metadata> = {
  keys: (metadata) => Object.keys(metadata.getMap()),
  get: (metadata, key) => {
    const values = metadata.get(key).filter((v): v is string => typeof v === 'string');
    return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
  },
};

const setter: TextMapSetter<Metadata> = {
  set: (metadata, key, value) => metadata.set(key, value),
};

/**
 * The propagator used when none is given: W3C Trace Context (`traceparent`, `tracestate`). The
 * OpenTelemetry API's global propagator is a no-op until an SDK registers one, so the platform
 * does not rely on it; pass `propagation` (the global) explicitly to honour an SDK's choice.
 */
export const defaultPropagator: TextMapPropagator = new W3CTraceContextPropagator();

/** The remote parent context carried by incoming call metadata. */
export function extractTraceContext(metadata: Metadata, propagator: TextMapPropagator = defaultPropagator): Context {
  return propagator.extract(ROOT_CONTEXT, metadata, getter);
}

/** Writes the trace context of `ctx` (default: the active one) into outgoing call metadata. */
export function injectTraceContext(metadata: Metadata, ctx: Context = context.active(), propagator: TextMapPropagator = defaultPropagator): Metadata {
  propagator.inject(ctx, metadata, setter);
  return metadata;
}

export { propagation };
