import { DeciderSpecification } from '@reflux/decider';
import type { ScheduleResult } from './schedule';
import { scheduleBookDecider } from './schedule-lifecycle.decider';
import type { ProposedSchedule, ScheduleEvent } from './schedule-lifecycle.events';

const spec = DeciderSpecification.for(scheduleBookDecider);
const at = '2026-12-07T00:00:05Z';
const proposal = (scheduleId: string): ProposedSchedule => ({
  scheduleId,
  jobId: `job-${scheduleId}`,
  reason: 'request',
  proposedAt: at,
  horizon: { start: '2026-12-07T00:00:00Z', periods: 24, periodHours: 1 },
  frozenPeriods: 0,
  unavailableUnitIds: [],
  result: { plant: 'p' } as ScheduleResult,
});
const proposed = (id: string): ScheduleEvent => ({ type: 'ScheduleProposed', data: proposal(id) });
const published = (id: string): ScheduleEvent => ({ type: 'SchedulePublished', data: { scheduleId: id, by: 'planner-1', at } });

describe('schedule book', () => {
  it('publishes a proposal and supersedes the schedule in force', () => {
    spec
      .given([proposed('s1'), published('s1'), proposed('s2')])
      .when({ type: 'Publish', data: { scheduleId: 's2', by: 'planner-1', at } })
      .then([published('s2'), { type: 'ScheduleSuperseded', data: { scheduleId: 's1', supersededBy: 's2', at } }]);
  });

  it('publishes the first schedule of a plant without superseding anything', () => {
    spec.given([proposed('s1')]).when({ type: 'Publish', data: { scheduleId: 's1', by: 'planner-1', at } }).then([published('s1')]);
  });

  it('treats a repeated proposal and a repeated publication as retries', () => {
    spec.given([proposed('s1')]).when({ type: 'Propose', data: proposal('s1') }).thenNothingHappens();
    spec.given([proposed('s1'), published('s1')]).when({ type: 'Publish', data: { scheduleId: 's1', by: 'planner-2', at } }).thenNothingHappens();
  });

  it('refuses to publish an unknown or a superseded schedule, naming schedule_id', () => {
    spec.given([]).when({ type: 'Publish', data: { scheduleId: 'nope', by: 'p', at } }).thenThrows('SCHEDULING.SCHEDULE_NOT_FOUND');
    const superseded = [proposed('s1'), published('s1'), proposed('s2'), published('s2'), { type: 'ScheduleSuperseded', data: { scheduleId: 's1', supersededBy: 's2', at } } as ScheduleEvent];
    const error = spec.given(superseded).when({ type: 'Publish', data: { scheduleId: 's1', by: 'p', at } }).thenThrows('SCHEDULING.SCHEDULE_SUPERSEDED');
    expect((error as { fieldViolations: { field: string }[] }).fieldViolations[0].field).toBe('schedule_id');
  });
});
