import type { Decider } from '@reflux/decider';
import type { ScheduleCommand, ScheduleEvent } from './schedule-lifecycle.events';
import { SchedulingError, SchedulingErrorCode } from './scheduling.errors';

export type ScheduleStatus = 'proposed' | 'published' | 'superseded';

export interface ScheduleBookState {
  readonly statuses: Readonly<Record<string, ScheduleStatus>>;
  /** The schedule in force. */
  readonly published: string | null;
  /** The newest proposal. */
  readonly latestProposed: string | null;
}

/**
 * The schedules of one plant: proposals arrive from jobs; a planner (or the auto-publish policy)
 * publishes one, which supersedes the schedule in force. Proposing an id again and publishing the
 * schedule in force again are no-ops (retries); publishing a superseded schedule is refused.
 */
export const scheduleBookDecider: Decider<ScheduleCommand, ScheduleEvent, ScheduleBookState> = {
  initialState: () => ({ statuses: {}, published: null, latestProposed: null }),

  decide(command, state) {
    switch (command.type) {
      case 'Propose':
        return state.statuses[command.data.scheduleId] ? [] : [{ type: 'ScheduleProposed', data: command.data }];
      case 'Publish': {
        const { scheduleId, by, at } = command.data;
        const status = state.statuses[scheduleId];
        if (!status)
          throw new SchedulingError(SchedulingErrorCode.scheduleNotFound, `no schedule "${scheduleId}"`, [{ field: 'schedule_id', description: `unknown schedule "${scheduleId}"` }]);
        if (status === 'published') return [];
        if (status === 'superseded')
          throw new SchedulingError(SchedulingErrorCode.scheduleSuperseded, `schedule "${scheduleId}" was published and has been superseded; publish a newer proposal`, [
            { field: 'schedule_id', description: 'superseded' },
          ]);
        const events: ScheduleEvent[] = [{ type: 'SchedulePublished', data: { scheduleId, by, at } }];
        if (state.published) events.push({ type: 'ScheduleSuperseded', data: { scheduleId: state.published, supersededBy: scheduleId, at } });
        return events;
      }
      default: {
        const never: never = command;
        return never;
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ScheduleProposed':
        return { ...state, statuses: { ...state.statuses, [event.data.scheduleId]: 'proposed' }, latestProposed: event.data.scheduleId };
      case 'SchedulePublished':
        return { ...state, statuses: { ...state.statuses, [event.data.scheduleId]: 'published' }, published: event.data.scheduleId };
      case 'ScheduleSuperseded':
        return { ...state, statuses: { ...state.statuses, [event.data.scheduleId]: 'superseded' } };
      default: {
        const never: never = event;
        return never;
      }
    }
  },
};
