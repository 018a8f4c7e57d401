import { defineProjection } from '@reflux/event-store';
import { ALARM_EVENT_TYPES, type AlarmEvent } from '../domain/alarm-lifecycle.events';

/** `alarm-<plant>|<alarmId>` → plant and alarm id. */
export function parseAlarmStreamId(streamId: string): { plantId: string; alarmId: string } {
  const bar = streamId.indexOf('|');
  return { plantId: streamId.slice('alarm-'.length, bar), alarmId: streamId.slice(bar + 1) };
}

/**
 * The alarm journal (one row per lifecycle event) and the activations (each annunciated raise and
 * when its condition cleared) that the KPIs count. Idempotent by log position.
 */
export const alarmJournalProjection = defineProjection({
  name: 'safety-alarm-journal',
  category: 'alarm-',
  batchSize: 1000,
  reset: async (tx) => {
    await tx.query('DELETE FROM safety_alarm_journal');
    await tx.query('DELETE FROM safety_alarm_activations');
  },
  handlers: Object.fromEntries(
    ALARM_EVENT_TYPES.map((type) => [
      type,
      async (recorded, tx) => {
        const { plantId, alarmId } = parseAlarmStreamId(recorded.streamId);
        const event = { type: recorded.type, data: recorded.data } as AlarmEvent;
        const d = event.data;
        const identity = 'priority' in d ? d : undefined;
        const value = 'value' in d ? d.value : null;
        const text = event.type === 'AlarmCommented' ? event.data.text : '';
        await tx.query(
          `INSERT INTO safety_alarm_journal (position, plant_id, alarm_id, event_type, at, actor, reason, value, text, priority, area, console)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (position) DO NOTHING`,
          [recorded.globalPosition, plantId, alarmId, event.type, d.at, d.by, d.reason, value, text, identity?.priority ?? null, identity?.area ?? null, identity?.console ?? null],
        );
        if (event.type === 'AlarmRaised')
          await tx.query(
            `INSERT INTO safety_alarm_activations (plant_id, alarm_id, raised_at, priority, area, console) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
            [plantId, alarmId, d.at, event.data.priority, event.data.area, event.data.console],
          );
        if (event.type === 'AlarmCleared' || (event.type === 'AlarmConditionChanged' && !event.data.active))
          await tx.query('UPDATE safety_alarm_activations SET cleared_at = $3 WHERE plant_id = $1 AND alarm_id = $2 AND cleared_at IS NULL AND raised_at <= $3', [plantId, alarmId, d.at]);
      },
    ]),
  ),
});
