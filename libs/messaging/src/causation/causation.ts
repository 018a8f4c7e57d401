import type { IntegrationEvent } from '@reflux/contracts';

/**
 * Why an event exists (CAUSATION CONTRACT): an event emitted because of another event carries
 * `causationId` = the causing event's `eventId` and `correlationId` = the causing event's
 * `correlationId`; one caused by a gRPC command carries the request id as `causationId` (its
 * correlation id is its own event id unless the caller gives one). An event with neither is a root.
 */
export interface Causation {
  readonly causationId?: string;
  readonly correlationId?: string;
}

/** The causation of an event emitted in reaction to `cause` (an integration event as received). */
export function causedByEvent(cause: Pick<IntegrationEvent, 'eventId' | 'correlationId'>): Required<Causation> {
  return { causationId: cause.eventId, correlationId: cause.correlationId || cause.eventId };
}

/** The causation of an event emitted by a command; `requestId` is the command's request id, if any. */
export function causedByCommand(requestId: string | undefined, correlationId?: string): Causation {
  return { ...(requestId && { causationId: requestId }), ...(correlationId && { correlationId }) };
}

/**
 * The event with `causation` applied where it says nothing itself: `causationId` when absent, and
 * `correlationId` when it is still the default (the event's own id). Ids the producer set stay.
 */
export function withCausation<E extends IntegrationEvent>(event: E, causation: Causation | undefined): E {
  if (!causation) return event;
  const causationId = event.causationId ?? causation.causationId;
  const correlationId = event.correlationId === event.eventId && causation.correlationId ? causation.correlationId : event.correlationId;
  if (causationId === event.causationId && correlationId === event.correlationId) return event;
  return { ...event, correlationId, ...(causationId !== undefined && { causationId }) };
}
