import { EVENT_STORE_ERROR_CODES, type EventStore } from '@reflux/event-store';
import { foldEvents } from '@reflux/decider';
import { monitoringModelDecider, type MonitoringModelsState } from '../domain/monitoring-model.decider';
import type { MonitoringModelCommand, MonitoringModelEvent } from '../domain/monitoring-model.events';
import { SafetyError, SafetyErrorCode } from '../domain/safety.errors';

export const monitoringStreamId = (plantId: string): string => `safety-monitoring-${plantId}`;

/** A plant's monitoring models as events (`safety-monitoring-<plant>`), decided by `monitoringModelDecider`. */
export class MonitoringModelStore {
  constructor(private readonly store: EventStore) {}

  async load(plantId: string): Promise<{ state: MonitoringModelsState; version: number }> {
    const events = await this.store.readStream(monitoringStreamId(plantId));
    return { state: foldEvents(monitoringModelDecider, events as unknown as MonitoringModelEvent[]), version: events.length - 1 };
  }

  /** Decides on the current stream and appends; a concurrent writer makes it fail with MONITORING.VERSION_CONFLICT. */
  async execute(plantId: string, command: MonitoringModelCommand): Promise<{ events: readonly MonitoringModelEvent[]; state: MonitoringModelsState }> {
    const { state, version } = await this.load(plantId);
    const events = monitoringModelDecider.decide(command, state);
    if (events.length === 0) return { events, state };
    try {
      await this.store.appendToStream(
        monitoringStreamId(plantId),
        events.map((e) => ({ type: e.type, data: e.data, metadata: { actor: e.data.by } })),
        { expectedVersion: version },
      );
    } catch (error) {
      if ((error as { code?: unknown }).code === EVENT_STORE_ERROR_CODES.WRONG_EXPECTED_VERSION)
        throw new SafetyError(SafetyErrorCode.monitoringVersionConflict, `the monitoring models of ${plantId} changed meanwhile; try again`, { cause: error });
      throw error;
    }
    return { events, state: events.reduce(monitoringModelDecider.evolve, state) };
  }
}
