import { context, propagation, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import type { IntegrationEvent } from '@reflux/contracts';

/**
 * Gives an event the W3C trace context of the code publishing it, unless it already carries one
 * (an outboxed event keeps the context of the transaction that wrote it, not the relay's).
 */
export function withPublisherTraceContext<E extends IntegrationEvent>(event: E): E {
  if (event.traceparent) return event;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  if (!carrier['traceparent']) return event;
  return { ...event, traceparent: carrier['traceparent'], ...(carrier['tracestate'] && { tracestate: carrier['tracestate'] }) };
}

/** `traceparent`/`tracestate` headers of an event, for a message. */
export function traceHeaders(event: IntegrationEvent): Record<string, string> {
  const headers: Record<string, string> = {};
  if (event.traceparent) headers['traceparent'] = event.traceparent;
  if (event.tracestate) headers['tracestate'] = event.tracestate;
  return headers;
}

/** The producer's trace context from message headers (through the globally registered propagator). */
export function extractTraceContext(carrier: Readonly<Record<string, string | undefined>>): Context {
  return propagation.extract(ROOT_CONTEXT, carrier, {
    get: (c, key) => c[key],
    keys: (c) => Object.keys(c),
  });
}
