import { EVENT_TYPES, type MeasurementsIngested } from '@reflux/contracts';
import type { BusSubscription, EventBus } from '@reflux/messaging';
import type { WindowTrigger } from '../../application/window-trigger';

export const MEASUREMENTS_CONSUMER_GROUP = 'balancing.measurements-ingested';

/**
 * Reconciles the windows completed by each `MeasurementsIngested` batch. Redelivery is harmless
 * (reconciling is idempotent); an unreachable history throws a retriable error, so the bus retries.
 */
export function subscribeMeasurementsIngested(bus: EventBus, trigger: WindowTrigger): Promise<BusSubscription> {
  return bus.subscribe({
    group: MEASUREMENTS_CONSUMER_GROUP,
    types: [EVENT_TYPES.MeasurementsIngested],
    handler: async (event) => {
      await trigger.onMeasurementsIngested(event.data as MeasurementsIngested, event.correlationId);
    },
  });
}
