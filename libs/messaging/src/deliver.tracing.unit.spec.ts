import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { integrationEvents } from '@reflux/contracts';
import pino from 'pino';
import { deliver } from './deliver';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(() => {
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

it('records each handler try as a CONSUMER span, child of the producer, with the failure', async () => {
  const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  const event = integrationEvents.create('PlantModelVersioned', { plantId: 'plant-7', version: 2 }, { source: 'plant-model', subject: 'plant-model-plant-7', traceparent });
  let handlerSpan: string | undefined;
  const outcome = await deliver(
    { envelope: { ok: true, value: event }, topic: 'reflux.plant-model.events.v1', position: '3/12', headers: { traceparent } },
    {
      group: 'cache',
      registry: integrationEvents,
      retry: { initialDelayMs: 1, maxDelayMs: 1, multiplier: 1, jitter: 0 },
      logger: pino({ level: 'silent' }),
      signal: new AbortController().signal,
      handler: async (_e, delivery) => {
        handlerSpan = trace.getSpanContext(context.active())?.spanId;
        if (delivery.attempt === 1) throw new Error('cache unavailable');
      },
    },
  );
  expect(outcome).toEqual({ kind: 'handled', attempts: 2 });
  const spans = exporter.getFinishedSpans();
  expect(spans).toHaveLength(2);
  for (const span of spans) {
    expect(span.kind).toBe(SpanKind.CONSUMER);
    expect(span.name).toBe('reflux.plant-model.events.v1 process');
    expect(span.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(span.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(span.attributes).toMatchObject({ 'messaging.consumer.group.name': 'cache', 'messaging.message.id': event.eventId });
  }
  expect(spans[0]!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'cache unavailable' });
  expect(spans[1]!.attributes['reflux.delivery.attempt']).toBe(2);
  expect(handlerSpan).toBe(spans[1]!.spanContext().spanId);
});
