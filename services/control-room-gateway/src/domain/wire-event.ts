import type { FilterableEvent } from './event-filter';

/** An integration event as a dashboard receives it: the envelope, its data, and its global position (the resume token). */
export interface WireEvent {
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly source?: string;
  readonly subject?: string;
  readonly occurredAt?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly recordedAt: string;
  readonly data: unknown;
}

/** The stored form the gateway reads (an event-store record of an integration stream). */
export interface StoredIntegrationEvent {
  readonly streamId: string;
  readonly globalPosition: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly recordedAt: Date;
}

/** Integration events live in the PostgreSQL bus's streams (`integration-`) or a service's outbox (`outbox-<service>-`). */
export function isIntegrationStream(streamId: string): boolean {
  return streamId.startsWith('integration-') || streamId.startsWith('outbox-');
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function toWireEvent(e: StoredIntegrationEvent): WireEvent {
  const m = e.metadata;
  return {
    position: e.globalPosition,
    eventId: e.eventId,
    type: e.type,
    schemaVersion: e.schemaVersion,
    source: text(m['source']),
    subject: text(m['subject']),
    occurredAt: text(m['occurredAt']),
    correlationId: text(m['correlationId']),
    ...(text(m['causationId']) !== undefined && { causationId: text(m['causationId']) }),
    recordedAt: e.recordedAt.toISOString(),
    data: e.data,
  };
}

/** Units and areas an event's data names, for console filters. */
export function filterableOf(type: string, data: unknown): FilterableEvent {
  const d = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const unitIds: string[] = [];
  const areas: string[] = [];
  const add = (into: string[], v: unknown) => {
    if (typeof v === 'string') into.push(v);
    else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') into.push(x);
  };
  add(unitIds, d['unitId']);
  add(unitIds, d['units']);
  const suspect = d['suspect'];
  if (typeof suspect === 'object' && suspect !== null) add(unitIds, (suspect as Record<string, unknown>)['unitId']);
  add(areas, d['area']);
  add(areas, d['areas']);
  return { type, unitIds, areas };
}
