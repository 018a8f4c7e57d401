import { EVENT_TYPES, type LossSuspected, type SiteCapacityChanged, type UnitStateChanged, type UnitTripped } from '@reflux/contracts';
import type { BusSubscription, EventBus } from '@reflux/messaging';
import type { SuspectedLoss } from '../../domain/loss-capacity';

export const DISRUPTION_CONSUMER_GROUP = 'supply-chain.disruptions';

/** What the service does with a disruption reported by another service. */
export interface DisruptionSink {
  unitDown(eventId: string, plantId: string, unitId: string, at: Date, correlationId?: string): Promise<void>;
  capacityChanged(eventId: string, change: SiteCapacityChanged, correlationId?: string): Promise<void>;
  lossSuspected(eventId: string, loss: SuspectedLoss, correlationId?: string): Promise<void>;
}

const DOWN_STATES = new Set(['tripped', 'shutdown', 'maintenance']);

/**
 * `UnitTripped`, `UnitStateChanged` to a down state (safety), `SiteCapacityChanged` (scheduling)
 * and `LossSuspected` (balancing) become site disruptions and a re-allocation. The disruption is recorded under the
 * integration event's id, so a redelivery changes nothing.
 */
export function subscribeDisruptions(bus: EventBus, sink: DisruptionSink): Promise<BusSubscription> {
  return bus.subscribe({
    group: DISRUPTION_CONSUMER_GROUP,
    types: [EVENT_TYPES.UnitTripped, EVENT_TYPES.UnitStateChanged, EVENT_TYPES.SiteCapacityChanged, EVENT_TYPES.LossSuspected],
    retry: { maxDelayMs: 2000 },
    handler: async (event) => {
      if (event.type === EVENT_TYPES.UnitTripped) {
        const d = event.data as UnitTripped;
        await sink.unitDown(event.eventId, d.plantId, d.unitId, new Date(d.trippedAt), event.correlationId);
      } else if (event.type === EVENT_TYPES.UnitStateChanged) {
        const d = event.data as UnitStateChanged;
        // a trip is also announced as UnitTripped; the state change covers planned shutdowns and maintenance
        if (DOWN_STATES.has(d.to) && d.to !== 'tripped') await sink.unitDown(event.eventId, d.plantId, d.unitId, new Date(d.changedAt), event.correlationId);
      } else if (event.type === EVENT_TYPES.SiteCapacityChanged) {
        await sink.capacityChanged(event.eventId, event.data as SiteCapacityChanged, event.correlationId);
      } else if (event.type === EVENT_TYPES.LossSuspected) {
        const d = event.data as LossSuspected;
        await sink.lossSuspected(event.eventId, { plantId: d.plantId, unitId: d.unitId, estimatedLossKgPerS: d.estimatedLossKgPerS, foundAt: new Date(d.window.end) }, event.correlationId);
      }
    },
  });
}
