import { trace } from '@opentelemetry/api';
import { integrationEvents } from '@reflux/contracts';
import pino from 'pino';
import { deliver, type DeliverOptions, type IncomingMessage } from './deliver';
import type { EventHandler } from './event-bus.port';

const event = integrationEvents.create('PlantModelVersioned', { plantId: 'plant-7', version: 2 }, { source: 'plant-model', subject: 'plant-model-plant-7' });
const message = (value: unknown): IncomingMessage => ({ envelope: { ok: true, value }, topic: 'reflux.plant-model.events.v1', position: '0/7', headers: {} });
const options = (handler: EventHandler, extra: Partial<DeliverOptions> = {}): DeliverOptions => ({
  group: 'cache',
  registry: integrationEvents,
  handler,
  retry: { initialDelayMs: 1, maxDelayMs: 2, multiplier: 2, jitter: 0 },
  logger: pino({ level: 'silent' }),
  signal: new AbortController().signal,
  ...extra,
});

describe('delivering one message to a handler', () => {
  it('hands the validated event to the handler with its delivery context', async () => {
    const handler = jest.fn<Promise<void>, Parameters<EventHandler>>(async () => undefined);
    const outcome = await deliver(message(JSON.parse(JSON.stringify(event))), options(handler));
    expect(outcome).toEqual({ kind: 'handled', attempts: 1 });
    expect(handler).toHaveBeenCalledWith(event, expect.objectContaining({ group: 'cache', topic: 'reflux.plant-model.events.v1', position: '0/7', attempt: 1 }));
    expect(trace.getSpanContext(handler.mock.calls[0]![1].traceContext)).toBeUndefined();
  });

  it('skips, without validating, a type the consumer does not handle', async () => {
    const handler = jest.fn(async () => undefined);
    const outcome = await deliver(message({ type: 'SomethingElse', garbage: true }), options(handler, { types: new Set(['PlantModelVersioned']) }));
    expect(outcome).toEqual({ kind: 'skipped', reason: 'unwanted-type' });
    expect(handler).not.toHaveBeenCalled();
  });

  it('dead-letters an invalid event without calling the handler', async () => {
    const handler = jest.fn(async () => undefined);
    const outcome = await deliver(message({ ...event, data: { plantId: 'plant-7', version: 'two' } }), options(handler));
    expect(handler).not.toHaveBeenCalled();
    expect(outcome).toMatchObject({ kind: 'dead-letter', info: { reason: 'invalid-event', errorCode: 'CONTRACTS.INVALID_EVENT', eventId: event.eventId, attempts: 0 } });
  });

  it('dead-letters an undecodable message with the decoder error', async () => {
    const outcome = await deliver(
      { ...message(null), envelope: { ok: false, error: Object.assign(new Error('not JSON'), { code: 'MESSAGING.UNDECODABLE_MESSAGE' }) } },
      options(async () => undefined),
    );
    expect(outcome).toMatchObject({ kind: 'dead-letter', info: { reason: 'invalid-event', errorCode: 'MESSAGING.UNDECODABLE_MESSAGE' } });
  });

  it('holds a retriably failing event until it succeeds, and dead-letters at once on a non-retriable error', async () => {
    let calls = 0;
    const retries: number[] = [];
    const held = await deliver(
      message(event),
      options(
        async () => {
          if (++calls < 50) throw new Error('timeout');
        },
        { onRetry: (_e, attempt) => void retries.push(attempt) },
      ),
    );
    expect(held).toEqual({ kind: 'handled', attempts: 50 });
    expect(retries).toHaveLength(49);
    const rule = await deliver(message(event), options(async () => { throw Object.assign(new Error('no such plant'), { code: 'X.NO_PLANT', retriable: false }); }));
    expect(rule).toMatchObject({ kind: 'dead-letter', info: { reason: 'handler-failed', attempts: 1, errorCode: 'X.NO_PLANT' } });
  });

  it('skips a type this build does not know instead of dead-lettering it', async () => {
    const handler = jest.fn(async () => undefined);
    const outcome = await deliver(message({ ...event, type: 'ValveStrokeTested' }), options(handler));
    expect(outcome).toEqual({ kind: 'skipped', reason: 'unknown-type' });
    expect(handler).not.toHaveBeenCalled();
  });

  it('holds a newer schema version than this build reads instead of dead-lettering it', async () => {
    const stopping = new AbortController();
    const codes: string[] = [];
    const outcome = await deliver(
      message({ ...event, schemaVersion: 2 }),
      options(async () => undefined, {
        signal: stopping.signal,
        onRetry: (error) => {
          codes.push((error as { code: string }).code);
          if (codes.length === 3) stopping.abort();
        },
      }),
    );
    expect(outcome).toMatchObject({ kind: 'abandoned', error: { code: 'CONTRACTS.SCHEMA_VERSION_AHEAD' } });
    expect(codes).toEqual(['CONTRACTS.SCHEMA_VERSION_AHEAD', 'CONTRACTS.SCHEMA_VERSION_AHEAD', 'CONTRACTS.SCHEMA_VERSION_AHEAD']);
  });

  it('abandons instead of dead-lettering when the consumer stops mid-retry', async () => {
    const stopping = new AbortController();
    const outcome = await deliver(
      message(event),
      options(
        async () => {
          stopping.abort();
          throw new Error('down');
        },
        { signal: stopping.signal },
      ),
    );
    expect(outcome).toMatchObject({ kind: 'abandoned' });
  });

  it('abandons at once when the failure means the delivery cannot go on where it is', async () => {
    let calls = 0;
    const lost = new Error('Connection terminated');
    const outcome = await deliver(message(event), options(async () => { calls++; throw lost; }, { abandonOn: (e) => e === lost }));
    expect(outcome).toEqual({ kind: 'abandoned', error: lost });
    expect(calls).toBe(1);
  });
});
