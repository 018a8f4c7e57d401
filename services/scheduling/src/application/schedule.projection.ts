import { defineProjection } from '@reflux/event-store';
import type { ScheduleEvent } from '../domain/schedule-lifecycle.events';

/** `schedule-<plant>` → plant id. */
export const plantOfScheduleStream = (streamId: string): string => streamId.slice('schedule-'.length);

/** Read model of every plant's schedules (status, who published when, the proposal). Idempotent by schedule id and status. */
export const scheduleProjection = defineProjection({
  name: 'scheduling-schedules',
  category: 'schedule-',
  batchSize: 100,
  reset: async (tx) => {
    await tx.query('DELETE FROM scheduling_schedules');
  },
  handlers: {
    ScheduleProposed: async (recorded, tx) => {
      const d = (recorded.data as Extract<ScheduleEvent, { type: 'ScheduleProposed' }>['data']);
      await tx.query(
        `INSERT INTO scheduling_schedules (plant_id, schedule_id, status, position, job_id, reason, proposed_at, proposal)
         VALUES ($1, $2, 'proposed', $3, $4, $5, $6, $7) ON CONFLICT (plant_id, schedule_id) DO NOTHING`,
        [plantOfScheduleStream(recorded.streamId), d.scheduleId, recorded.globalPosition, d.jobId, d.reason, d.proposedAt, JSON.stringify(d)],
      );
    },
    SchedulePublished: async (recorded, tx) => {
      const d = recorded.data as Extract<ScheduleEvent, { type: 'SchedulePublished' }>['data'];
      await tx.query(`UPDATE scheduling_schedules SET status = 'published', published_at = $3, published_by = $4 WHERE plant_id = $1 AND schedule_id = $2 AND status = 'proposed'`, [
        plantOfScheduleStream(recorded.streamId),
        d.scheduleId,
        d.at,
        d.by,
      ]);
    },
    ScheduleSuperseded: async (recorded, tx) => {
      const d = recorded.data as Extract<ScheduleEvent, { type: 'ScheduleSuperseded' }>['data'];
      await tx.query(`UPDATE scheduling_schedules SET status = 'superseded' WHERE plant_id = $1 AND schedule_id = $2`, [plantOfScheduleStream(recorded.streamId), d.scheduleId]);
    },
  },
});
