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
  retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2, multiplier: 2, jitter: 0 },
  logger: pino({ level: 'silent' }),
  stopping: () => false,
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
    expect(outcome).toEqual({ kind: 'skipped' });
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

  it('dead-letters after the last try, or at once on a non-retriable error', async () => {
    let calls = 0;
    const always = await deliver(message(event), options(async () => { calls++; throw new Error('timeout'); }));
    expect(calls).toBe(3);
    expect(always).toMatchObject({ kind: 'dead-letter', info: { reason: 'handler-failed', attempts: 3, errorMessage: 'timeout' } });
    const rule = await deliver(message(event), options(async () => { throw Object.assign(new Error('no such plant'), { code: 'X.NO_PLANT', retriable: false }); }));
    expect(rule).toMatchObject({ kind: 'dead-letter', info: { reason: 'handler-failed', attempts: 1, errorCode: 'X.NO_PLANT' } });
  });

  it('abandons instead of dead-lettering when the consumer stops mid-retry', async () => {
    let stopping = false;
    const outcome = await deliver(
      message(event),
      options(
        async () => {
          stopping = true;
          throw new Error('down');
        },
        { stopping: () => stopping },
      ),
    );
    expect(outcome).toMatchObject({ kind: 'abandoned' });
  });

  it('keeps the consumer alive before every backoff sleep', async () => {
    const keepAlive = jest.fn(async () => undefined);
    await deliver(message(event), options(async () => { throw new Error('x'); }, { keepAlive }));
    expect(keepAlive).toHaveBeenCalledTimes(2);
  });
});
