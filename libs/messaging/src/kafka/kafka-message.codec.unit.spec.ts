import { integrationEvents } from '@reflux/contracts';
import type { KafkaMessage } from 'kafkajs';
import { decodeValue, encodeEvent, EVENT_HEADERS, headersToStrings } from './kafka-message.codec';

const event = integrationEvents.create(
  'PlantModelVersioned',
  { plantId: 'plant-7', version: 4 },
  { source: 'plant-model', subject: 'plant-model-plant-7', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'vendor=1' },
);

const asReceived = (m: ReturnType<typeof encodeEvent>): KafkaMessage =>
  ({
    key: Buffer.from(String(m.key)),
    value: m.value === null || m.value === undefined ? null : Buffer.from(m.value as string),
    headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, Buffer.from(String(v))])),
    timestamp: '0',
    attributes: 0,
    offset: '0',
  }) as KafkaMessage;

describe('Kafka message codec', () => {
  it('keys a message by subject and carries type, version and trace context in headers', () => {
    const message = encodeEvent(event);
    expect(message.key).toBe('plant-model-plant-7');
    expect(message.headers).toMatchObject({
      [EVENT_HEADERS.eventId]: event.eventId,
      [EVENT_HEADERS.eventType]: 'PlantModelVersioned',
      [EVENT_HEADERS.schemaVersion]: '1',
      traceparent: event.traceparent,
      tracestate: 'vendor=1',
    });
  });

  it('names correlation and causation ids in headers, causation only when the event has a cause', () => {
    expect(encodeEvent(event).headers).toMatchObject({ [EVENT_HEADERS.correlationId]: event.eventId });
    expect(encodeEvent(event).headers).not.toHaveProperty(EVENT_HEADERS.causationId);
    const reaction = { ...event, causationId: 'cause-1', correlationId: 'corr-1' };
    expect(encodeEvent(reaction).headers).toMatchObject({ [EVENT_HEADERS.correlationId]: 'corr-1', [EVENT_HEADERS.causationId]: 'cause-1' });
  });

  it('decodes what it encoded back into the same envelope', () => {
    const received = asReceived(encodeEvent(event));
    const decoded = decodeValue(received);
    expect(decoded).toEqual({ ok: true, value: event });
    expect(headersToStrings(received.headers)['traceparent']).toBe(event.traceparent);
  });

  it('reports a value that is not JSON, and a tombstone, as undecodable', () => {
    const garbage = decodeValue({ ...asReceived(encodeEvent(event)), value: Buffer.from('{not json') });
    expect(garbage).toMatchObject({ ok: false, error: { code: 'MESSAGING.UNDECODABLE_MESSAGE', retriable: false } });
    expect(decodeValue({ ...asReceived(encodeEvent(event)), value: null })).toMatchObject({ ok: false, error: { code: 'MESSAGING.UNDECODABLE_MESSAGE' } });
  });
});
