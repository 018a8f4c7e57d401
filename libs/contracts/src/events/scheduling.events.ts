import { z } from 'zod';
import { finite, identifier, instant } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';

const scheduleRef = { plantId: identifier, scheduleId: identifier };

export const scheduleProposedSchema = z.object({
  ...scheduleRef,
  jobId: identifier,
  /** Why it was made: `request`, `demands`, `unit-state:<unit>`, `startup`. */
  reason: z.string().min(1).max(200),
  horizon: z.object({ start: instant, periods: z.number().int().positive(), periodHours: z.number().positive() }),
  /** Total cost of the schedule, in `currency`. */
  objective: finite,
  currency: z.string().min(1).max(8),
  /** Relative MIP gap, percent (absent for an LP). */
  gapPercent: finite.optional(),
  solverStatus: z.string().min(1).max(40),
  /** Units left out because they are not running. */
  unavailableUnitIds: z.array(identifier),
  proposedAt: instant,
});

export const schedulePublishedSchema = z.object({ ...scheduleRef, publishedBy: z.string().min(1).max(200), publishedAt: instant });

export const scheduleSupersededSchema = z.object({ ...scheduleRef, supersededBy: identifier, supersededAt: instant });

export type ScheduleProposed = z.infer<typeof scheduleProposedSchema>;
export type SchedulePublished = z.infer<typeof schedulePublishedSchema>;
export type ScheduleSuperseded = z.infer<typeof scheduleSupersededSchema>;

export const ScheduleProposedContract = defineEvent({
  type: 'ScheduleProposed',
  topic: TOPICS.scheduling,
  description: 'The scheduling service found a new schedule for a plant (on request, new demands or a unit state change); a planner may publish it.',
  schema: scheduleProposedSchema,
});

export const SchedulePublishedContract = defineEvent({
  type: 'SchedulePublished',
  topic: TOPICS.scheduling,
  description: 'A schedule is now the one in force for its plant.',
  schema: schedulePublishedSchema,
});

export const ScheduleSupersededContract = defineEvent({
  type: 'ScheduleSuperseded',
  topic: TOPICS.scheduling,
  description: 'A published schedule was replaced by a newer published one.',
  schema: scheduleSupersededSchema,
});
