import { EVENT_TYPES } from '@reflux/contracts';
import { foldEvents } from '@reflux/decider';
import { EVENT_STORE_ERROR_CODES, retryWithBackoff, type EventStore } from '@reflux/event-store';
import type { TransactionalOutbox } from '@reflux/messaging';
import { plantModelDecider, plantModelStreamName, type PlantModelEvent, type PlantModelFormat } from '@reflux/plant-model';
import type { Logger } from 'pino';
import { SERVICE_SOURCE } from '../adapters/bus/balance-integration-events';
import { deterministicUuid } from '../domain/deterministic-id';
import type { PlantModelRegistry } from './plant-model.registry';

/**
 * Registers a plant-model document as the plant's current version: the `plant-model-<plantId>`
 * stream (the plant-model library's versioning decider) gets a new version only when the
 * document's checksum changed, and `PlantModelVersioned` is published in the same transaction.
 * Several replicas starting together converge on one version (optimistic concurrency).
 */
export async function publishPlantModel(
  deps: { store: EventStore; outbox: TransactionalOutbox; registry: PlantModelRegistry; logger: Logger },
  plantId: string,
  document: string,
  format: PlantModelFormat,
): Promise<{ version: number; published: boolean }> {
  const { store, outbox, registry, logger } = deps;
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
        await outbox.enqueue(
          {
            eventId: deterministicUuid(`integration:${eventId}`),
            type: EVENT_TYPES.PlantModelVersioned,
            schemaVersion: 1,
            source: SERVICE_SOURCE,
            subject: streamId,
            occurredAt: new Date().toISOString(),
            correlationId: eventId,
            data: { plantId, version: event.data.version },
          },
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
