import type { ReconciledYield } from './reconciled-yields';
import type { ScheduleResult } from './schedule';

/** A schedule found by a job, with what it was planned against (domain event of `schedule-<plant>`). */
export interface ProposedSchedule {
  readonly scheduleId: string;
  readonly jobId: string;
  /** `request`, `demands`, `energy-prices`, `site-targets`, `balance-reconciled`, `unit-state:<unit>`, `startup`. */
  readonly reason: string;
  readonly proposedAt: string;
  readonly horizon: { readonly start: string; readonly periods: number; readonly periodHours: number };
  /** Leading periods kept as in the published schedule it replans. */
  readonly frozenPeriods: number;
  readonly unavailableUnitIds: readonly string[];
  /** Reconciled yields from the balancing service it was planned with (none: model yields). */
  readonly reconciledYields?: readonly ReconciledYield[];
  readonly result: ScheduleResult;
}

export type ScheduleEvent =
  | { readonly type: 'ScheduleProposed'; readonly data: ProposedSchedule }
  | { readonly type: 'SchedulePublished'; readonly data: { readonly scheduleId: string; readonly by: string; readonly at: string } }
  | { readonly type: 'ScheduleSuperseded'; readonly data: { readonly scheduleId: string; readonly supersededBy: string; readonly at: string } };

export type ScheduleCommand =
  | { readonly type: 'Propose'; readonly data: ProposedSchedule }
  | { readonly type: 'Publish'; readonly data: { readonly scheduleId: string; readonly by: string; readonly at: string } };

export const SCHEDULE_EVENT_TYPES = ['ScheduleProposed', 'SchedulePublished', 'ScheduleSuperseded'] as const;

/** `schedule-<plant>`: one stream per plant holds every proposal and publication. */
export const scheduleStreamId = (plantId: string): string => `schedule-${plantId}`;
