import type { IntegrationEvent } from '@reflux/contracts';
import { EVENT_TYPES } from '@reflux/contracts';
import type { BalanceRecord } from '../../domain/balance-record';
import type { BalanceWindowEvent } from '../../domain/balance-window.decider';
import { deterministicUuid } from '@reflux/decider';

export const SERVICE_SOURCE = 'balancing';

/**
 * The integration events published for a balance stream's new domain events (same order, ids
 * derived from the domain event ids so a retried publication is deduplicated downstream).
 */
export function toIntegrationEvents(
  subject: string,
  events: readonly BalanceWindowEvent[],
  domainEventIds: readonly string[],
  occurredAt: string,
  correlationId: string,
): IntegrationEvent[] {
  return events.map((event, i) => {
    const envelope = {
      eventId: deterministicUuid(`integration:${domainEventIds[i]}`),
      schemaVersion: 1,
      source: SERVICE_SOURCE,
      subject,
      occurredAt,
      correlationId,
    };
    switch (event.type) {
      case 'BalanceReconciled': {
        const r = event.data.record;
        return {
          ...envelope,
          type: EVENT_TYPES.BalanceReconciled,
          data: { plantId: r.plantId, plantModelVersion: r.plantModelVersion, window: r.window, summary: summaryOf(r) },
        };
      }
      case 'BalanceRevised': {
        const r = event.data.record;
        return {
          ...envelope,
          type: EVENT_TYPES.BalanceRevised,
          data: { plantId: r.plantId, plantModelVersion: r.plantModelVersion, window: r.window, revision: event.data.revision, summary: summaryOf(r) },
        };
      }
      case 'GrossErrorCleared':
        return {
          ...envelope,
          type: EVENT_TYPES.GrossErrorCleared,
          data: { plantId: event.data.plantId, window: event.data.window, revision: event.data.revision, suspect: event.data.suspect },
        };
      case 'GrossErrorSuspected': {
        const g = event.data.grossError;
        return {
          ...envelope,
          type: EVENT_TYPES.GrossErrorSuspected,
          data: {
            plantId: event.data.plantId,
            window: event.data.window,
            tagId: g.tagId,
            streamId: g.streamId,
            estimatedBias: { value: g.biasTagUnit, unit: g.tagUnit },
            testStatistic: g.testStatistic,
            criticalValue: g.criticalValue,
          },
        };
      }
      case 'LossSuspected': {
        const l = event.data.loss;
        return {
          ...envelope,
          type: EVENT_TYPES.LossSuspected,
          data: {
            plantId: event.data.plantId,
            window: event.data.window,
            unitId: l.unitId,
            estimatedLossKgPerS: l.lossKgPerS,
            testStatistic: l.testStatistic,
            criticalValue: l.criticalValue,
          },
        };
      }
      default: {
        const exhaustive: never = event;
        return exhaustive;
      }
    }
  });
}

/** The global test and counts of a window's balance, as the integration events carry them. */
function summaryOf(r: BalanceRecord) {
  return {
    globalTestStatistic: r.globalTest.statistic,
    degreesOfFreedom: r.globalTest.dof,
    criticalValue: r.globalTest.critical,
    rejected: r.globalTest.rejected,
    counts: {
      measuredStreams: r.counts.measured,
      unmeasuredStreams: r.counts.streams - r.counts.measured,
      balanceEquations: r.counts.balanceEquations,
      suspectedGrossErrors: r.grossErrors.length + r.losses.length,
    },
  };
}
