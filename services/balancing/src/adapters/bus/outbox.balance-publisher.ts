import { EVENT_TYPES, type IntegrationEvent } from '@reflux/contracts';
import type { BalanceEventsPublication, BalancePublisher, PlantModelVersionPublication, StoreTransaction } from '../../application/balance-publisher.port';
import { deterministicUuid } from '@reflux/decider';
import { SERVICE_SOURCE, toIntegrationEvents } from './balance-integration-events';

/** What the publisher needs of `@reflux/messaging`'s TransactionalOutbox. */
export interface IntegrationEventOutbox {
  enqueue(events: IntegrationEvent | readonly IntegrationEvent[], transaction: StoreTransaction): Promise<void>;
}

/** Publishes balancing's integration events through the transactional outbox (same commit as the append). */
export class OutboxBalancePublisher implements BalancePublisher {
  constructor(private readonly outbox: IntegrationEventOutbox) {}

  async publishBalanceEvents(p: BalanceEventsPublication, transaction: StoreTransaction): Promise<void> {
    await this.outbox.enqueue(toIntegrationEvents(p.subject, p.events, p.domainEventIds, p.occurredAt, p.correlationId), transaction);
  }

  async publishPlantModelVersion(p: PlantModelVersionPublication, transaction: StoreTransaction): Promise<void> {
    await this.outbox.enqueue(
      {
        eventId: deterministicUuid(`integration:${p.domainEventId}`),
        type: EVENT_TYPES.PlantModelVersioned,
        schemaVersion: 1,
        source: SERVICE_SOURCE,
        subject: p.subject,
        occurredAt: p.occurredAt,
        correlationId: p.domainEventId,
        data: { plantId: p.plantId, version: p.version },
      },
      transaction,
    );
  }
}
