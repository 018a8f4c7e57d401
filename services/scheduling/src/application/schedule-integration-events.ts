import { integrationEvents, type IntegrationEvent } from '@reflux/contracts';
import { deterministicUuid } from '@reflux/decider';
import type { ScheduleEvent } from '../domain/schedule-lifecycle.events';
import type { Cause } from './schedule-book';

/** The integration events of new schedule events; ids derive from the domain event ids (a retried append publishes nothing twice). */
export function scheduleIntegrationEvents(plantId: string, subject: string, events: readonly ScheduleEvent[], ids: readonly string[], source: string, cause: Cause = {}): IntegrationEvent[] {
  const { correlationId, causationId } = cause;
  return events.map((event, i) => {
    const meta = { source, subject, eventId: deterministicUuid(`integration:${ids[i]}`), ...(correlationId !== undefined && { correlationId }), ...(causationId !== undefined && { causationId }) };
    switch (event.type) {
      case 'ScheduleProposed': {
        const d = event.data;
        return integrationEvents.envelope(
          'ScheduleProposed',
          {
            plantId,
            scheduleId: d.scheduleId,
            jobId: d.jobId,
            reason: d.reason.slice(0, 200),
            horizon: d.horizon,
            objective: d.result.objective ?? 0,
            currency: d.result.currency,
            ...(d.result.gapPercent !== undefined && { gapPercent: d.result.gapPercent }),
            solverStatus: d.result.status,
            unavailableUnitIds: [...d.unavailableUnitIds],
            proposedAt: d.proposedAt,
          },
          meta,
        );
      }
      case 'SchedulePublished':
        return integrationEvents.envelope('SchedulePublished', { plantId, scheduleId: event.data.scheduleId, publishedBy: event.data.by, publishedAt: event.data.at }, meta);
      case 'ScheduleSuperseded':
        return integrationEvents.envelope('ScheduleSuperseded', { plantId, scheduleId: event.data.scheduleId, supersededBy: event.data.supersededBy, supersededAt: event.data.at }, meta);
      default: {
        const never: never = event;
        return never;
      }
    }
  });
}
