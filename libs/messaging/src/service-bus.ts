import { startRetention, type SubscriptionHealth } from '@reflux/event-store';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { EventBus } from './event-bus.port';
import type { EventStore } from './event-store.types';
import type { KafkaEventBusConfig } from './kafka/kafka.config';
import { KafkaEventBus } from './kafka/kafka.event-bus';
import type { BusMonitoring } from './monitoring/consumer-observer';
import { OutboxRelay, stopRelayAndBus } from './outbox/outbox-relay';
import { TransactionalOutbox } from './outbox/transactional-outbox';
import { INTEGRATION_CATEGORY } from './postgres/integration-event.codec';
import { PostgresEventBus } from './postgres/postgres.event-bus';

export interface ServiceBusOptions {
  readonly eventStore: EventStore;
  /** The event store's pool: transport-event retention runs on it. */
  readonly pool: Pool;
  readonly logger: Logger;
  /** Consumers, the relay and retention report here (health, Prometheus). */
  readonly monitoring: BusMonitoring & { readonly health?: SubscriptionHealth };
  /** With Kafka: the service's own outbox category (several services may share one database). */
  readonly outboxCategory: string;
  /** With Kafka: the relay's subscription id. */
  readonly relayId: string;
  /** Kafka connection and topic settings; without it, the PostgreSQL bus on the same database. */
  readonly kafka?: Omit<KafkaEventBusConfig, 'logger' | 'monitoring'>;
}

export interface ServiceBus {
  readonly bus: EventBus;
  /** Where the service's integration events go, in the same transaction as its domain events. */
  readonly outbox: TransactionalOutbox;
  /** Retention stops, then the relay stops taking batches and the bus closes (bounded during a broker outage). */
  stop(): Promise<void>;
}

/**
 * A service's event bus as every service wires it: Kafka with a transactional outbox and its relay,
 * or the PostgreSQL bus on the event log; transport events (the outbox, or the bus's log) pruned once
 * every subscription has passed them and they are a week old, so the event table stays bounded.
 */
export function openServiceBus(o: ServiceBusOptions): ServiceBus {
  const { eventStore, logger, monitoring } = o;
  let bus: EventBus;
  let outbox: TransactionalOutbox;
  let close: () => Promise<void>;
  if (o.kafka) {
    const kafkaBus = new KafkaEventBus({ ...o.kafka, logger, monitoring });
    const relay = new OutboxRelay({ eventStore, bus: kafkaBus, logger, category: o.outboxCategory, subscriptionId: o.relayId, monitoring });
    relay.start();
    bus = kafkaBus;
    outbox = new TransactionalOutbox({ eventStore, category: o.outboxCategory });
    close = () => stopRelayAndBus(relay, kafkaBus);
  } else {
    const pgBus = new PostgresEventBus({ eventStore, logger, monitoring });
    bus = pgBus;
    outbox = pgBus.outbox;
    close = () => pgBus.close();
  }
  const retention = startRetention(o.pool, { categories: [o.kafka ? o.outboxCategory : INTEGRATION_CATEGORY] }, { logger, ...(monitoring.health && { health: monitoring.health }) });
  return {
    bus,
    outbox,
    async stop() {
      await retention.stop();
      await close();
    },
  };
}
