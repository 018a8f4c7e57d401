import type { Pool } from 'pg';
import type { CausationLog } from '../../application/causation-log.port';
import type { TraceEvent } from '../../domain/causation-trace';

// Integration events only: the PostgreSQL bus's streams and the services' outboxes (Kafka deployments).
const INTEGRATION = (alias: string) => `(${alias}.stream_id LIKE 'integration-%' OR ${alias}.stream_id LIKE 'outbox-%')`;
const COLUMNS = (alias: string) => `${alias}.global_position, ${alias}.event_id, ${alias}.type, ${alias}.metadata, ${alias}.recorded_at`;

interface Row {
  global_position: string;
  event_id: string;
  type: string;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function toTraceEvent(r: Row): TraceEvent {
  const m = r.metadata;
  const optional = { source: text(m['source']), subject: text(m['subject']), occurredAt: text(m['occurredAt']), correlationId: text(m['correlationId']), causationId: text(m['causationId']) };
  return {
    position: Number(r.global_position),
    eventId: r.event_id,
    type: r.type,
    recordedAt: r.recorded_at.toISOString(),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}

/**
 * Causation links read from the event store's `reflux_events`: up by event id (unique index), down
 * by `metadata->>'causationId'` (partial index `reflux_events_causation_idx`, event-store migration
 * 0003). Both walks are one recursive query, bounded in depth (and, down, in rows).
 */
export class PostgresCausationLog implements CausationLog {
  constructor(private readonly pool: Pool) {}

  async ancestry(eventId: string, maxDepth: number): Promise<TraceEvent[]> {
    const { rows } = await this.pool.query<Row>(
      `WITH RECURSIVE chain AS (
         SELECT ${COLUMNS('e')}, 0 AS depth FROM reflux_events e WHERE e.event_id = $1 AND ${INTEGRATION('e')}
         UNION ALL
         SELECT ${COLUMNS('e')}, c.depth + 1 FROM chain c JOIN reflux_events e ON e.event_id = c.metadata->>'causationId'
         WHERE c.depth < $2 AND ${INTEGRATION('e')}
       )
       SELECT * FROM chain ORDER BY depth`,
      [eventId, maxDepth],
    );
    return rows.map(toTraceEvent);
  }

  async descendants(eventId: string, maxDepth: number, limit: number): Promise<TraceEvent[]> {
    const { rows } = await this.pool.query<Row>(
      `WITH RECURSIVE tree AS (
         SELECT ${COLUMNS('e')}, 1 AS depth FROM reflux_events e
         WHERE e.metadata ? 'causationId' AND e.metadata->>'causationId' = $1 AND ${INTEGRATION('e')}
         UNION ALL
         SELECT ${COLUMNS('e')}, t.depth + 1 FROM tree t JOIN reflux_events e
           ON e.metadata ? 'causationId' AND e.metadata->>'causationId' = t.event_id
         WHERE t.depth < $2 AND ${INTEGRATION('e')}
       )
       SELECT * FROM tree LIMIT $3`,
      [eventId, maxDepth, limit],
    );
    return rows.map(toTraceEvent);
  }
}
