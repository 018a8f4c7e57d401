import type { Pool } from 'pg';
import type { AlarmPriority } from '../../domain/alarm-config';
import type { AlarmActivation } from '../../domain/alarm-kpis';

export interface JournalRow {
  readonly position: number;
  readonly alarmId: string;
  readonly eventType: string;
  readonly at: Date;
  readonly actor: string;
  readonly reason: string;
  readonly value: number | null;
  readonly text: string;
  readonly priority: AlarmPriority | null;
  readonly area: string | null;
  readonly console: string | null;
}

/** Reads of the journal and activation tables (filled by alarmJournalProjection). */
export class AlarmReadModel {
  constructor(private readonly pool: Pool) {}

  /** Newest first; `before` is the position of the last entry of the previous page. */
  async journal(plantId: string, from: Date, to: Date, alarmId: string | undefined, pageSize: number, before?: number): Promise<JournalRow[]> {
    const { rows } = await this.pool.query(
      `SELECT position, alarm_id, event_type, at, actor, reason, value, text, priority, area, console
         FROM safety_alarm_journal
        WHERE plant_id = $1 AND at >= $2 AND at < $3 AND ($4::text IS NULL OR alarm_id = $4) AND ($5::bigint IS NULL OR position < $5)
        ORDER BY position DESC LIMIT $6`,
      [plantId, from, to, alarmId ?? null, before ?? null, pageSize],
    );
    return rows.map((r) => ({
      position: Number(r.position),
      alarmId: r.alarm_id,
      eventType: r.event_type,
      at: r.at,
      actor: r.actor,
      reason: r.reason,
      value: r.value,
      text: r.text,
      priority: r.priority,
      area: r.area,
      console: r.console,
    }));
  }

  /** Activations raised in [from, to), plus those raised earlier and still open at `from` (for stale alarms). */
  async activations(plantId: string, from: Date, to: Date): Promise<AlarmActivation[]> {
    const { rows } = await this.pool.query(
      `SELECT alarm_id, raised_at, cleared_at, priority, area, console FROM safety_alarm_activations
        WHERE plant_id = $1 AND raised_at < $3 AND (raised_at >= $2 OR cleared_at IS NULL OR cleared_at >= $2)`,
      [plantId, from, to],
    );
    return rows.map((r) => ({
      alarmId: r.alarm_id,
      area: r.area,
      console: r.console,
      priority: r.priority,
      raisedAtMs: r.raised_at.getTime(),
      ...(r.cleared_at && { clearedAtMs: r.cleared_at.getTime() }),
    }));
  }
}
