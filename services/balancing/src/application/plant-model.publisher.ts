import { foldEvents } from '@reflux/decider';
import { EVENT_STORE_ERROR_CODES, retryWithBackoff, type EventStore } from '@reflux/event-store';
import { plantModelDecider, plantModelStreamName, type PlantModelEvent, type PlantModelFormat } from '@reflux/plant-model';
import type { Logger } from 'pino';
import { deterministicUuid } from '@reflux/decider';
import type { BalancePublisher } from './balance-publisher.port';
import type { PlantModelRegistry } from './plant-model.registry';

/**
 * Registers a plant-model document as the plant's current version: the `plant-model-<plantId>`
 * stream (the plant-model library's versioning decider) gets a new version only when the
 * document's checksum changed, and `PlantModelVersioned` is published in the same transaction.
 * Several replicas starting together converge on one version (optimistic concurrency).
 */
export async function publishPlantModel(
  deps: { store: EventStore; publisher: BalancePublisher; registry: PlantModelRegistry; logger: Logger },
  plantId: string,
  document: string,
  format: PlantModelFormat,
): Promise<{ version: number; published: boolean }> {
  const { store, publisher, registry, logger } = deps;
  const streamId = plantModelStreamName(plantId);
  return retryWithBackoff(
    async () => {
      const stored = await store.readStream(streamId);
      const version = stored.length === 0 ? -1 : stored[stored.length - 1].streamVersion;
      const state = foldEvents(plantModelDecider, stored.map((e) => ({ type: e.type, data: e.data }) as PlantModelEvent));
      const events = plantModelDecider.decide({ type: state.version === 0 ? 'RegisterPlantModel' : 'PublishPlantModelVersion', data: { plantId, document, format } }, state);
      if (events.length === 0) {
        registry.set(state.model!, state.version, state.checksum!);
        return { version: state.version, published: false };
      }
      const event = events[0];
      const eventId = deterministicUuid(`${streamId}:${event.data.checksum}:${event.data.version}`);
      await store.withTransaction(async (transaction) => {
        await store.appendToStream(streamId, [{ eventId, type: event.type, data: event.data }], { expectedVersion: version, transaction });
        await publisher.publishPlantModelVersion(
          { plantId, version: event.data.version, subject: streamId, domainEventId: eventId, occurredAt: new Date().toISOString() },
          transaction,
        );
      });
      registry.set(event.data.document, event.data.version, event.data.checksum);
      logger.info({ plantId, version: event.data.version, checksum: event.data.checksum }, 'plant model version published');
      return { version: event.data.version, published: true };
    },
    { retries: 5, shouldRetry: (error) => (error as { code?: unknown }).code === EVENT_STORE_ERROR_CODES.WRONG_EXPECTED_VERSION || (error as { retriable?: unknown }).retriable === true },
  );
}
