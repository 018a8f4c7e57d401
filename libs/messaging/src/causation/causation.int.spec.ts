import { ContractRegistry, defineEvent, PlantModelVersionedContract, type IntegrationEvent } from '@reflux/contracts';
import { kafkaBrokers, kafkaIdempotenceSupported, kafkaTestTopicSettings } from '@reflux/testing';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { waitFor } from '../event-bus.contract';
import type { EventBus } from '../event-bus.port';
import { EVENT_HEADERS } from '../kafka/kafka-message.codec';
import { testLogger } from '../kafka/kafka-test.support';
import { KafkaEventBus } from '../kafka/kafka.event-bus';
import { outboxCategory } from '../outbox/outbox-category';
import { OutboxRelay } from '../outbox/outbox-relay';
import { TransactionalOutbox } from '../outbox/transactional-outbox';
import { PostgresEventBus } from '../postgres/postgres.event-bus';
import { startTestStore, type TestStore } from '../postgres/postgres-test.support';
import { causedByCommand, causedByEvent } from './causation';

let env: TestStore;
beforeAll(async () => {
  env = await startTestStore('messaging_causation');
});
afterAll(async () => {
  await env.close();
});

const registryOnOwnTopic = () => new ContractRegistry([defineEvent({ ...PlantModelVersionedContract, topic: `test.causation.${randomUUID()}` })]);
const versioned = (registry: ContractRegistry, plantId: string, version: number) =>
  registry.create('PlantModelVersioned', { plantId, version } as never, { source: 'plant-model', subject: `plant-model-${plantId}` });

/** Collects what a consumer of the bus receives. */
async function receive(bus: EventBus): Promise<IntegrationEvent[]> {
  const seen: IntegrationEvent[] = [];
  await bus.subscribe({ group: `g-${randomUUID()}`, types: ['PlantModelVersioned'], handler: async (e) => void seen.push(e) });
  return seen;
}

describe('causation through the PostgreSQL bus', () => {
  let bus: PostgresEventBus;
  let registry: ContractRegistry;
  beforeEach(() => {
    registry = registryOnOwnTopic();
    bus = new PostgresEventBus({ eventStore: env.store, logger: testLogger, registry });
  });
  afterEach(() => bus.close());

  it('hands a consumer the causation and correlation ids a reaction was enqueued with', async () => {
    const seen = await receive(bus);
    const root = versioned(registry, 'pc-1', 1);
    await bus.publish(root);
    await waitFor(() => seen.some((e) => e.eventId === root.eventId), 'the root event');
    const received = seen.find((e) => e.eventId === root.eventId)!;
    expect(received.causationId).toBeUndefined();
    expect(received.correlationId).toBe(root.eventId);

    const reaction = versioned(registry, 'pc-1', 2);
    await env.store.withTransaction((tx) => bus.outbox.enqueue(reaction, tx, { causation: causedByEvent(received) }));
    const child = await waitFor(() => seen.find((e) => e.eventId === reaction.eventId), 'the reaction');
    const grandchild = versioned(registry, 'pc-1', 3);
    await env.store.withTransaction((tx) => bus.outbox.enqueue(grandchild, tx, { causation: causedByEvent(child) }));
    await waitFor(() => seen.some((e) => e.eventId === grandchild.eventId), 'the grandchild');
    expect(seen.find((e) => e.eventId === reaction.eventId)).toMatchObject({ causationId: root.eventId, correlationId: root.eventId });
    expect(seen.find((e) => e.eventId === grandchild.eventId)).toMatchObject({ causationId: reaction.eventId, correlationId: root.eventId });
  });

  it('carries the request id of a command as the cause', async () => {
    const seen = await receive(bus);
    const event = versioned(registry, 'pc-2', 1);
    await env.store.withTransaction((tx) => bus.outbox.enqueue(event, tx, { causation: causedByCommand('request-42') }));
    await waitFor(() => seen.some((e) => e.eventId === event.eventId), 'the event');
    expect(seen[0]).toMatchObject({ eventId: event.eventId, causationId: 'request-42', correlationId: event.eventId });
  });
});

describe('causation through the outbox relay to Kafka', () => {
  it('delivers causation and correlation ids in the value and names them in the headers', async () => {
    const registry = registryOnOwnTopic();
    const topic = registry.topics()[0]!;
    const kafka = new KafkaEventBus({ brokers: kafkaBrokers(), clientId: 'reflux-causation-test', logger: testLogger, registry, idempotent: kafkaIdempotenceSupported(), heartbeatIntervalMs: 300, ...kafkaTestTopicSettings() });
    const category = outboxCategory(`c${randomUUID().slice(0, 8)}`);
    const outbox = new TransactionalOutbox({ eventStore: env.store, registry, category });
    const relay = new OutboxRelay({ eventStore: env.store, bus: kafka, logger: testLogger, registry, category, subscriptionId: `relay-${category}`, batchSize: 10 });
    try {
      const seen = await receive(kafka);
      relay.start();
      const cause = { eventId: randomUUID(), correlationId: 'trip-correlation' };
      const event = versioned(registry, 'pk-1', 1);
      await env.store.withTransaction((tx) => outbox.enqueue(event, tx, { causation: causedByEvent(cause) }));
      await waitFor(() => seen.some((e) => e.eventId === event.eventId), 'the relayed event');
      expect(seen.find((e) => e.eventId === event.eventId)).toMatchObject({ causationId: cause.eventId, correlationId: 'trip-correlation' });

      // The message as any Kafka tool sees it (kcat, no consumer group): headers name the ids too.
      const { stdout } = await promisify(execFile)('kcat', ['-C', '-b', kafkaBrokers().join(','), '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%h\\n'], { timeout: 30_000 });
      expect(stdout).toContain(`${EVENT_HEADERS.causationId}=${cause.eventId}`);
      expect(stdout).toContain(`${EVENT_HEADERS.correlationId}=trip-correlation`);
    } finally {
      await relay.stop();
      await kafka.close();
    }
  });
});
