import { EVENT_TYPES, type MeasurementsIngested } from '@reflux/contracts';
import type { BusSubscription, EventBus } from '@reflux/messaging';

export const MEASUREMENTS_CONSUMER_GROUP = 'safety.measurements-ingested';

/** The part of the service that evaluates an ingested batch (per plant). */
export interface BatchSink {
  onBatch(batchKey: string, plantId: string, tagIds: readonly string[], fromMs: number, toMs: number, correlationId?: string): Promise<void>;
}

/**
 * Evaluates the samples of each `MeasurementsIngested` batch. The evaluation commits with its own
 * processed marker, so a redelivery is skipped; an unreachable history is retriable and retried
 * without limit (backoff capped at 2 s), holding later batches so alarms are evaluated in order.
 */
export function subscribeMeasurementsIngested(bus: EventBus, sink: BatchSink): Promise<BusSubscription> {
  return bus.subscribe({
    group: MEASUREMENTS_CONSUMER_GROUP,
    types: [EVENT_TYPES.MeasurementsIngested],
    retry: { maxDelayMs: 2000 },
    handler: async (event) => {
      const d = event.data as MeasurementsIngested;
      await sink.onBatch(event.eventId, d.plantId, d.tagIds, Date.parse(d.timeRange.start), Date.parse(d.timeRange.end), event.correlationId);
    },
  });
}
