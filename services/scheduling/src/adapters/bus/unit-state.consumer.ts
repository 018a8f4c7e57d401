import { EVENT_TYPES, type UnitStateChanged, type UnitTripped } from '@reflux/contracts';
import type { BusSubscription, EventBus } from '@reflux/messaging';
import type { Cause } from '../../application/schedule-book';
import type { ReportedState } from '../../domain/replan';

export const UNIT_STATE_CONSUMER_GROUP = 'scheduling.unit-states';

/** What the service does with a unit state from the safety service. */
export interface UnitStateSink {
  onUnitState(report: { plantId: string; unitId: string; state: ReportedState; at: string; requestId: string; reason: string }, cause: Cause): Promise<void>;
}

/**
 * `UnitTripped` and `UnitStateChanged` from the safety service become unit-state reports (the
 * event id is the request id, so a redelivery records nothing twice) and re-plan the plant.
 */
export function subscribeUnitStates(bus: EventBus, sink: UnitStateSink): Promise<BusSubscription> {
  return bus.subscribe({
    group: UNIT_STATE_CONSUMER_GROUP,
    types: [EVENT_TYPES.UnitTripped, EVENT_TYPES.UnitStateChanged],
    retry: { maxDelayMs: 2000 },
    handler: async (event) => {
      const cause: Cause = { causationId: event.eventId, correlationId: event.correlationId };
      if (event.type === EVENT_TYPES.UnitTripped) {
        const d = event.data as UnitTripped;
        await sink.onUnitState({ plantId: d.plantId, unitId: d.unitId, state: 'tripped', at: d.trippedAt, requestId: `event:${event.eventId}`, reason: 'UnitTripped' }, cause);
      } else {
        const d = event.data as UnitStateChanged;
        await sink.onUnitState({ plantId: d.plantId, unitId: d.unitId, state: d.to, at: d.changedAt, requestId: `event:${event.eventId}`, reason: `UnitStateChanged ${d.from} → ${d.to}` }, cause);
      }
    },
  });
}
