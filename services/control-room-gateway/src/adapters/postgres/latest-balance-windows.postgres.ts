import type { Pool } from 'pg';
import type { LatestBalanceWindows } from '../../application/snapshot-source.port';
import type { StoredIntegrationEvent } from '../../domain/wire-event';

type Window = { readonly start: string; readonly end: string; readonly position: number };
const TYPES = ['BalanceReconciled', 'BalanceRevised'];

/**
 * The latest reconciled window per plant: read once from the event log's integration events at
 * start (read-only), then kept current from the events the gateway tails.
 */
export class PostgresLatestBalanceWindows implements LatestBalanceWindows {
  private readonly latest = new Map<string, Window>();

  async load(pool: Pool): Promise<void> {
    const { rows } = await pool.query<{ plant: string; start: string; end: string; pos: string }>(
      `SELECT DISTINCT ON (data->>'plantId') data->>'plantId' AS plant, data->'window'->>'start' AS start, data->'window'->>'end' AS "end", global_position AS pos
       FROM reflux_events
       WHERE type = ANY($1::text[]) AND (stream_id LIKE 'integration-%' OR stream_id LIKE 'outbox-%')
       ORDER BY data->>'plantId', (data->'window'->>'end')::timestamptz DESC, global_position DESC`,
      [TYPES],
    );
    for (const r of rows) if (r.plant && r.start && r.end) this.keep(r.plant, { start: r.start, end: r.end, position: Number(r.pos) });
  }

  observe(event: StoredIntegrationEvent): void {
    if (!TYPES.includes(event.type)) return;
    const d = event.data as { plantId?: unknown; window?: { start?: unknown; end?: unknown } };
    if (typeof d.plantId === 'string' && typeof d.window?.start === 'string' && typeof d.window.end === 'string')
      this.keep(d.plantId, { start: d.window.start, end: d.window.end, position: event.globalPosition });
  }

  windows(): ReadonlyMap<string, Window> {
    return this.latest;
  }

  /** A later window wins; a revision of the same window moves its position. */
  private keep(plantId: string, w: Window): void {
    const current = this.latest.get(plantId);
    if (!current || Date.parse(w.end) >= Date.parse(current.end)) this.latest.set(plantId, w);
  }
}
