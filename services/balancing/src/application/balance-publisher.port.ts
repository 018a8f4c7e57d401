import type { EventStore } from '@reflux/event-store';
import type { BalanceWindowEvent } from '../domain/balance-window.decider';

/** The event store's transaction, in which a stream append and its publication commit together. */
export type StoreTransaction = Parameters<Parameters<EventStore['withTransaction']>[0]>[0];

export interface BalanceEventsPublication {
  /** The balance stream (subject of the integration events). */
  readonly subject: string;
  readonly events: readonly BalanceWindowEvent[];
  /** Ids of the stored domain events, same order (integration event ids derive from them). */
  readonly domainEventIds: readonly string[];
  readonly occurredAt: string;
  readonly correlationId: string;
}

export interface PlantModelVersionPublication {
  readonly plantId: string;
  readonly version: number;
  /** The plant-model stream. */
  readonly subject: string;
  readonly domainEventId: string;
  readonly occurredAt: string;
}

/**
 * Publishes what the balancing service decided, in the same transaction as the stream append
 * (a transactional outbox in production): the integration events for new balance-window events and
 * for a new plant-model version.
 */
export interface BalancePublisher {
  publishBalanceEvents(publication: BalanceEventsPublication, transaction: StoreTransaction): Promise<void>;
  publishPlantModelVersion(publication: PlantModelVersionPublication, transaction: StoreTransaction): Promise<void>;
}
