import { integrationEvents, type IntegrationEvent } from '@reflux/contracts';
import type { AlarmEvent } from '../domain/alarm-lifecycle.events';
import { deterministicUuid } from '@reflux/decider';

/**
 * The integration events published for new lifecycle events (raised, cleared, acknowledged,
 * shelved); ids derive from the domain event ids, so a retried batch is deduplicated downstream.
 */
export function alarmIntegrationEvents(
  plantId: string,
  subject: string,
  events: readonly AlarmEvent[],
  domainEventIds: readonly string[],
  source: string,
  occurredAt: Date,
  correlationId?: string,
  causationId?: string,
): IntegrationEvent[] {
  const out: IntegrationEvent[] = [];
  events.forEach((event, i) => {
    const meta = { source, subject, eventId: deterministicUuid(`integration:${domainEventIds[i]}`), occurredAt, ...(correlationId !== undefined && { correlationId }), ...(causationId !== undefined && { causationId }) };
    const d = event.data;
    switch (event.type) {
      case 'AlarmRaised':
        out.push(
          integrationEvents.envelope(
            'AlarmRaised',
            {
              plantId,
              alarmId: event.data.alarmId,
              tagId: event.data.tagId,
              kind: event.data.kind,
              priority: event.data.priority,
              area: event.data.area,
              console: event.data.console,
              raisedAt: d.at,
              value: event.data.value,
              ...(event.data.limit !== undefined && { limit: event.data.limit }),
              reason: d.reason.slice(0, 500),
            },
            meta,
          ),
        );
        break;
      case 'AlarmCleared':
        out.push(integrationEvents.envelope('AlarmCleared', { plantId, alarmId: event.data.alarmId, tagId: event.data.alarmId.slice(0, event.data.alarmId.lastIndexOf('/')), clearedAt: d.at, value: event.data.value }, meta));
        break;
      case 'AlarmAcknowledged':
        out.push(integrationEvents.envelope('AlarmAcknowledged', { plantId, alarmId: event.data.alarmId, acknowledgedAt: d.at, by: d.by }, meta));
        break;
      case 'AlarmShelved':
        out.push(integrationEvents.envelope('AlarmShelved', { plantId, alarmId: event.data.alarmId, shelvedAt: d.at, expiresAt: event.data.expiresAt, by: d.by, reason: d.reason }, meta));
        break;
      default:
        break;
    }
  });
  return out;
}
