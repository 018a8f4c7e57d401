import { integrationEvents, type ContractRegistry, type IntegrationEvent } from '@reflux/contracts';
import type { PoolClient } from 'pg';
import type { EventStore } from '../event-store.types';
import { integrationStreamId, toStoredEvent } from '../postgres/integration-event.codec';
import { withCausation, type Causation } from '../causation/causation';
import { withPublisherTraceContext } from '../trace-context';
import { assertWritableCategory } from './outbox-category';

export interface TransactionalOutboxOptions {
  readonly eventStore: EventStore;
  readonly registry?: ContractRegistry;
  /**
   * Stream-id prefix to write to, required: the service's own outbox category
   * (`outboxCategory('ingestion')` → `outbox-ingestion-`) when its `OutboxRelay` forwards to Kafka;
   * `INTEGRATION_CATEGORY` with the PostgreSQL bus, whose consumers read the log directly. Anything
   * else throws `MESSAGING.INVALID_CONFIG` (see `OUTBOX_CATEGORY_PATTERN`).
   */
  readonly category: string;
}

export interface EnqueueOptions {
  /** Why these events exist: the event or command that caused them (CAUSATION CONTRACT). */
  readonly causation?: Causation;
}

/**
 * The producer side of the transactional outbox: integration events are validated (an invalid one
 * throws `CONTRACTS.INVALID_EVENT` and the caller's transaction rolls back) and appended to the
 * event log in the caller's transaction, so they are committed together with the state change or
 * not at all. They keep their event id, so an append retried after an unknown outcome is a no-op.
 */
export class TransactionalOutbox {
  readonly category: string;
  private readonly registry: ContractRegistry;

  constructor(private readonly options: TransactionalOutboxOptions) {
    assertWritableCategory(options.category);
    this.registry = options.registry ?? integrationEvents;
    this.category = options.category;
  }

  /**
   * `options.causation` (from `causedByEvent(received)` or `causedByCommand(requestId)`) is applied
   * to every event that does not name its cause itself (see `withCausation`).
   */
  async enqueue(events: IntegrationEvent | readonly IntegrationEvent[], transaction: PoolClient, options: EnqueueOptions = {}): Promise<void> {
    const list = (Array.isArray(events) ? events : [events]) as readonly IntegrationEvent[];
    const validated = list.map((e) => this.registry.validate(withPublisherTraceContext(withCausation(e, options.causation))));
    // One append per subject stream, in the caller's order within each stream.
    const byStream = new Map<string, IntegrationEvent[]>();
    for (const event of validated) {
      const streamId = integrationStreamId(this.category, event);
      byStream.set(streamId, [...(byStream.get(streamId) ?? []), event]);
    }
    for (const [streamId, streamEvents] of byStream) {
      await this.options.eventStore.appendToStream(
        streamId,
        streamEvents.map((e) => toStoredEvent(e, this.registry.topicOf(e.type))),
        { expectedVersion: 'any', transaction },
      );
    }
  }
}
