import type { IntegrationEvent } from '@reflux/contracts';
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { MESSAGING_ERROR_CODES, MessagingError } from '../messaging.error';
import { traceHeaders } from '../trace-context';

export const EVENT_HEADERS = {
  eventId: 'reflux-event-id',
  eventType: 'reflux-event-type',
  schemaVersion: 'reflux-schema-version',
  source: 'reflux-source',
  correlationId: 'reflux-correlation-id',
  causationId: 'reflux-causation-id',
  contentType: 'content-type',
} as const;

/**
 * Value: the envelope as JSON (causation and correlation ids included); key: the subject; headers:
 * routing metadata, correlation/causation ids (for tools reading headers only) and W3C trace context.
 */
export function encodeEvent(event: IntegrationEvent): Message {
  return {
    key: event.subject,
    value: JSON.stringify(event),
    headers: {
      [EVENT_HEADERS.eventId]: event.eventId,
      [EVENT_HEADERS.eventType]: event.type,
      [EVENT_HEADERS.schemaVersion]: String(event.schemaVersion),
      [EVENT_HEADERS.source]: event.source,
      [EVENT_HEADERS.correlationId]: event.correlationId,
      ...(event.causationId !== undefined && { [EVENT_HEADERS.causationId]: event.causationId }),
      [EVENT_HEADERS.contentType]: 'application/json',
      ...traceHeaders(event),
    },
  };
}

export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[key] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}

/** Parses a message value as JSON; the envelope itself is validated by the contract registry. */
export function decodeValue(message: KafkaMessage): { ok: true; value: unknown } | { ok: false; error: unknown } {
  if (!message.value) {
    return { ok: false, error: new MessagingError(MESSAGING_ERROR_CODES.UNDECODABLE_MESSAGE, 'message has no value (tombstone)') };
  }
  try {
    return { ok: true, value: JSON.parse(message.value.toString('utf8')) as unknown };
  } catch (error) {
    return { ok: false, error: new MessagingError(MESSAGING_ERROR_CODES.UNDECODABLE_MESSAGE, `message value is not JSON: ${(error as Error).message}`) };
  }
}
