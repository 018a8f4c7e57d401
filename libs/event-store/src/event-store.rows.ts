import type { EventMetadata, RecordedEvent } from './event-store.port';
import type { UpcasterRegistry } from './upcaster.registry';

/** Columns every read selects, in the order `toRecordedEvent` expects (row mode 'array'). */
export const EVENT_COLUMNS = `stream_id, stream_version::float8, global_position::float8, event_id, type, schema_version, data, metadata,
  extract(epoch FROM recorded_at)::float8 * 1000`;

/** recorded_at: epoch milliseconds (row reads) or ISO 8601 text with offset (JSON batch reads). */
export type EventRow = [string, number, number, string, string, number, unknown, EventMetadata, number | string];

export function toRecordedEvent(row: EventRow, upcasters: UpcasterRegistry): RecordedEvent {
  const event: RecordedEvent = {
    streamId: row[0],
    streamVersion: row[1],
    globalPosition: row[2],
    eventId: row[3],
    type: row[4],
    schemaVersion: row[5],
    data: row[6],
    metadata: row[7],
    recordedAt: new Date(row[8]),
  };
  return upcasters.upcast(event);
}
