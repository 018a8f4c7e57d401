import { integrationEvents, type EarlyWarningCleared, type EarlyWarningRaised, type IntegrationEvent } from '@reflux/contracts';
import { deterministicUuid } from '@reflux/decider';

/** Ids derive from plant, warning and data time, so a warning decided twice (a retried commit) is deduplicated downstream. */
function meta(source: string, data: { plantId: string; warningId: string }, what: string, at: string) {
  return { source, subject: `early-warning-${data.plantId}|${data.warningId}`, eventId: deterministicUuid(`early-warning:${data.plantId}:${data.warningId}:${what}:${at}`), occurredAt: new Date(at) };
}

export function earlyWarningRaised(source: string, data: EarlyWarningRaised): IntegrationEvent {
  return integrationEvents.envelope('EarlyWarningRaised', { ...data, message: data.message.slice(0, 500) }, meta(source, data, 'raised', data.raisedAt));
}

export function earlyWarningCleared(source: string, data: EarlyWarningCleared): IntegrationEvent {
  return integrationEvents.envelope('EarlyWarningCleared', data, meta(source, data, 'cleared', data.clearedAt));
}
