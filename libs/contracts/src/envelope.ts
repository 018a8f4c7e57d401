import { z } from 'zod';
import { identifier, instant } from './common.schemas';

/**
 * An integration event as it travels between services (Kafka message value, PostgreSQL event log).
 * `subject` is the id of the stream the event is about and the partitioning key: events of one
 * subject are delivered in order. `occurredAt` is ISO-8601 with offset.
 */
export interface IntegrationEvent<Type extends string = string, Data = unknown> {
  /** UUID; consumers deduplicate on it (delivery is at-least-once). */
  readonly eventId: string;
  readonly type: Type;
  /** Version of the payload schema of `type` that `data` follows. */
  readonly schemaVersion: number;
  /** Publishing service (`ingestion`, `balancing`). */
  readonly source: string;
  /** Stream id the event is about; the message key. */
  readonly subject: string;
  readonly occurredAt: string;
  /** Shared by all messages of one business interaction; defaults to the event id. */
  readonly correlationId: string;
  /** Id of the command or event that caused this one. */
  readonly causationId?: string;
  /** W3C trace context of the producer. */
  readonly traceparent?: string;
  readonly tracestate?: string;
  readonly data: Data;
}

const uuid = z.uuid({ message: 'must be a UUID' });

/** W3C trace-context `traceparent`: version-traceid-parentid-flags. */
export const traceparentSchema = z
  .string()
  .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, 'must be a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>)');

/** Schema of the envelope; `data` is checked separately against the type's payload schema. */
export const envelopeSchema = z.object({
  eventId: uuid,
  type: z.string().min(1, 'must not be empty').max(200),
  schemaVersion: z.number().int('must be an integer').min(1, 'must be ≥ 1'),
  source: identifier,
  subject: z.string().min(1, 'must not be empty').max(500),
  occurredAt: instant,
  correlationId: z.string().min(1, 'must not be empty').max(200),
  causationId: z.string().min(1).max(200).optional(),
  traceparent: traceparentSchema.optional(),
  tracestate: z.string().max(512).optional(),
  data: z.unknown(),
});
