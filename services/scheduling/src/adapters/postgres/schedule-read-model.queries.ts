import type { Pool } from 'pg';
import type { ScheduleStatus } from '../../domain/schedule-lifecycle.decider';
import type { ProposedSchedule } from '../../domain/schedule-lifecycle.events';

export interface ScheduleView {
  readonly plantId: string;
  readonly status: ScheduleStatus;
  readonly position: number;
  readonly publishedAt?: Date;
  readonly publishedBy?: string;
  readonly proposal: ProposedSchedule;
}

interface Row {
  plant_id: string;
  status: ScheduleStatus;
  position: string;
  published_at: Date | null;
  published_by: string | null;
  proposal: ProposedSchedule;
}

const view = (r: Row): ScheduleView => ({
  plantId: r.plant_id,
  status: r.status,
  position: Number(r.position),
  ...(r.published_at && { publishedAt: r.published_at }),
  ...(r.published_by !== null && { publishedBy: r.published_by }),
  proposal: r.proposal,
});

/** Queries of the schedules read model (`scheduling_schedules`). */
export class ScheduleReadModel {
  constructor(private readonly pool: Pool) {}

  /** The published schedule and the newest proposal made after it. */
  async current(plantId: string): Promise<{ published?: ScheduleView; proposed?: ScheduleView }> {
    const { rows } = await this.pool.query<Row>(
      `(SELECT * FROM scheduling_schedules WHERE plant_id = $1 AND status = 'published' ORDER BY position DESC LIMIT 1)
       UNION ALL
       (SELECT * FROM scheduling_schedules WHERE plant_id = $1 AND status = 'proposed' ORDER BY position DESC LIMIT 1)`,
      [plantId],
    );
    const published = rows.map(view).find((r) => r.status === 'published');
    const proposed = rows.map(view).find((r) => r.status === 'proposed' && (!published || r.position > published.position));
    return { ...(published && { published }), ...(proposed && { proposed }) };
  }

  async byId(plantId: string, scheduleId: string): Promise<ScheduleView | undefined> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM scheduling_schedules WHERE plant_id = $1 AND schedule_id = $2', [plantId, scheduleId]);
    return rows[0] && view(rows[0]);
  }

  async byJob(jobId: string): Promise<ScheduleView | undefined> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM scheduling_schedules WHERE job_id = $1', [jobId]);
    return rows[0] && view(rows[0]);
  }
}
