import type { ScheduleResult } from '../domain/schedule';

export type JobState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'aborted';
export const FINISHED_JOB_STATES: ReadonlySet<JobState> = new Set(['completed', 'failed', 'cancelled', 'aborted']);

export interface JobRecord {
  readonly jobId: string;
  readonly plantId: string;
  readonly state: JobState;
  /** `request`, `demands`, `unit-state:<unit>`, `startup`. */
  readonly trigger: string;
  readonly phase: string;
  readonly requestedBy: string;
  readonly createdAt: Date;
  readonly startedAt?: Date;
  readonly endedAt?: Date;
  readonly solverStatus?: string;
  readonly objective?: number;
  readonly gapPercent?: number;
  readonly currency?: string;
  readonly scheduleId?: string;
  readonly message?: string;
  /** The solve result without a schedule (infeasibility, no solution), for ExplainSchedule. */
  readonly result?: ScheduleResult;
}

export type JobPatch = Partial<Omit<JobRecord, 'jobId' | 'plantId' | 'createdAt' | 'trigger' | 'requestedBy'>>;

/** Where jobs are kept so that their state survives a restart of the replica that ran them. */
export interface JobStore {
  create(job: JobRecord): Promise<void>;
  update(jobId: string, patch: JobPatch): Promise<void>;
  get(jobId: string): Promise<JobRecord | undefined>;
  /** The running job of a plant, if any (which one holds its lock). */
  running(plantId: string): Promise<JobRecord | undefined>;
  /** Marks these jobs alive now. */
  heartbeat(jobIds: readonly string[]): Promise<void>;
  /** Running or queued jobs whose heartbeat is older than `before` become `aborted`; returns how many. */
  abortStale(before: Date): Promise<number>;
}
