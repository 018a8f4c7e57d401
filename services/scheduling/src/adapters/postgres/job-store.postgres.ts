import type { Pool } from 'pg';
import type { JobPatch, JobRecord, JobState, JobStore } from '../../application/job-store.port';
import type { ScheduleResult } from '../../domain/schedule';

const COLUMNS: Record<keyof JobPatch, string> = {
  state: 'state',
  phase: 'phase',
  startedAt: 'started_at',
  endedAt: 'ended_at',
  solverStatus: 'solver_status',
  objective: 'objective',
  gapPercent: 'gap_percent',
  currency: 'currency',
  scheduleId: 'schedule_id',
  message: 'message',
  result: 'result',
};

interface Row {
  job_id: string;
  plant_id: string;
  state: JobState;
  stale: boolean;
  trigger: string;
  phase: string;
  requested_by: string;
  created_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
  solver_status: string | null;
  objective: number | null;
  gap_percent: number | null;
  currency: string | null;
  schedule_id: string | null;
  message: string | null;
  result: ScheduleResult | null;
}

/** Jobs in `scheduling_jobs`; a running job whose heartbeat is older than `staleAfterMs` reads as aborted. */
export class PostgresJobStore implements JobStore {
  constructor(
    private readonly pool: Pool,
    private readonly staleAfterMs: number,
  ) {}

  private select(where: string): string {
    return `SELECT *, (state IN ('queued', 'running') AND heartbeat_at < now() - make_interval(secs => ${this.staleAfterMs / 1000})) AS stale FROM scheduling_jobs WHERE ${where}`;
  }

  private static record(r: Row): JobRecord {
    const aborted = r.stale;
    return {
      jobId: r.job_id,
      plantId: r.plant_id,
      state: aborted ? 'aborted' : r.state,
      trigger: r.trigger,
      phase: aborted ? 'done' : r.phase,
      requestedBy: r.requested_by,
      createdAt: r.created_at,
      ...(r.started_at && { startedAt: r.started_at }),
      ...(r.ended_at && { endedAt: r.ended_at }),
      ...(r.solver_status !== null && { solverStatus: r.solver_status }),
      ...(r.objective !== null && { objective: r.objective }),
      ...(r.gap_percent !== null && { gapPercent: r.gap_percent }),
      ...(r.currency !== null && { currency: r.currency }),
      ...(r.schedule_id !== null && { scheduleId: r.schedule_id }),
      ...((r.message !== null || aborted) && { message: aborted ? 'the replica running it stopped' : r.message! }),
      ...(r.result !== null && { result: r.result }),
    };
  }

  async create(job: JobRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO scheduling_jobs (job_id, plant_id, state, trigger, phase, requested_by, created_at, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [job.jobId, job.plantId, job.state, job.trigger, job.phase, job.requestedBy, job.createdAt, job.startedAt ?? null],
    );
  }

  async update(jobId: string, patch: JobPatch): Promise<void> {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as [keyof JobPatch, unknown][];
    if (entries.length === 0) return;
    const sets = entries.map(([k], i) => `${COLUMNS[k]} = $${i + 2}`);
    await this.pool.query(`UPDATE scheduling_jobs SET ${sets.join(', ')}, heartbeat_at = now() WHERE job_id = $1`, [jobId, ...entries.map(([k, v]) => (k === 'result' ? JSON.stringify(v) : v))]);
  }

  async get(jobId: string): Promise<JobRecord | undefined> {
    const { rows } = await this.pool.query<Row>(this.select('job_id = $1'), [jobId]);
    return rows[0] && PostgresJobStore.record(rows[0]);
  }

  async running(plantId: string): Promise<JobRecord | undefined> {
    const { rows } = await this.pool.query<Row>(`${this.select(`plant_id = $1 AND state IN ('queued', 'running')`)} ORDER BY created_at DESC LIMIT 1`, [plantId]);
    return rows[0] && PostgresJobStore.record(rows[0]);
  }

  async heartbeat(jobIds: readonly string[]): Promise<void> {
    await this.pool.query('UPDATE scheduling_jobs SET heartbeat_at = now() WHERE job_id = ANY($1::uuid[])', [jobIds]);
  }

  async abortStale(before: Date): Promise<number> {
    const { rowCount } = await this.pool.query(
      `UPDATE scheduling_jobs SET state = 'aborted', phase = 'done', ended_at = now(), message = 'the replica running it stopped' WHERE state IN ('queued', 'running') AND heartbeat_at < $1`,
      [before],
    );
    return rowCount ?? 0;
  }
}
