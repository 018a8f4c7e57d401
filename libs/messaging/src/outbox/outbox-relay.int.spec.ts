import { kafkaBrokers, kafkaIdempotenceSupported, kafkaTestTopicSettings } from '@reflux/testing';
import { CONTRACT_ERROR_CODES, ContractRegistry, defineEvent, PlantModelVersionedContract, type IntegrationEvent } from '@reflux/contracts';
import { randomUUID } from 'node:crypto';
import { waitFor } from '../event-bus.contract';
import type { EventBus } from '../event-bus.port';
import { idempotentHandler } from '../idempotency/idempotent-handler';
import { testLogger } from '../kafka/kafka-test.support';
import { KafkaEventBus } from '../kafka/kafka.event-bus';
import { deadLetterStreamId } from '../postgres/postgres-dead-letter';
import { startTestStore, type TestStore } from '../postgres/postgres-test.support';
import { outboxCategory } from './outbox-category';
import { OutboxRelay } from './outbox-relay';
import { TransactionalOutbox } from './transactional-outbox';

let env: TestStore;
beforeAll(async () => {
  env = await startTestStore('messaging_outbox');
  await env.pool.query('CREATE TABLE plant_model_heads (plant_id text PRIMARY KEY, version int NOT NULL)');
  await env.pool.query('CREATE TABLE plant_model_cache (plant_id text PRIMARY KEY, version int NOT NULL)');
});
afterAll(async () => {
  await env.close();
});

describe('outbox relay to Kafka', () => {
  let registry: ContractRegistry;
  let kafka: KafkaEventBus;
  let outbox: TransactionalOutbox;
  let category: string;
  const relays: OutboxRelay[] = [];

  beforeEach(() => {
    // The real PlantModelVersioned schema on a topic of this test's own (the mock cluster is shared).
    registry = new ContractRegistry([defineEvent({ ...PlantModelVersionedContract, topic: `test.outbox.${randomUUID()}` })]);
    kafka = new KafkaEventBus({ brokers: kafkaBrokers(), clientId: 'reflux-outbox-test', logger: testLogger, registry, idempotent: kafkaIdempotenceSupported(), heartbeatIntervalMs: 300, ...kafkaTestTopicSettings() });
    category = outboxCategory(`t${randomUUID().slice(0, 8)}`);
    outbox = new TransactionalOutbox({ eventStore: env.store, registry, category });
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await kafka.close();
  });

  const relay = (bus: EventBus, subscriptionId = `relay-${category}`, relayCategory = category) => {
    const r = new OutboxRelay({ eventStore: env.store, bus, logger: testLogger, registry, category: relayCategory, subscriptionId, batchSize: 10 });
    relays.push(r);
    r.start();
    return r;
  };
  const versioned = (plantId: string, version: number) =>
    registry.create('PlantModelVersioned', { plantId, version } as never, { source: 'plant-model', subject: `plant-model-${plantId}` });

  /** The plant-model command side: bump the head and publish, in one transaction. */
  const publishVersion = (plantId: string, version: number, event = versioned(plantId, version)) =>
    env.store.withTransaction(async (tx) => {
      await tx.query('INSERT INTO plant_model_heads VALUES ($1, $2) ON CONFLICT (plant_id) DO UPDATE SET version = EXCLUDED.version', [plantId, version]);
      await outbox.enqueue(event, tx);
      return event;
    });

  /** A downstream consumer keeping a cache of model versions, idempotent by event id. */
  const startCache = async (group: string) => {
    const deliveries: string[] = [];
    await kafka.subscribe({
      group,
      types: ['PlantModelVersioned'],
      retry: { initialDelayMs: 20 },
      handler: async (event, delivery) => {
        await idempotentHandler(env.pool, async (e, d) => {
          const data = e.data as { plantId: string; version: number };
          await d.transaction.query('INSERT INTO plant_model_cache VALUES ($1, $2) ON CONFLICT (plant_id) DO UPDATE SET version = plant_model_cache.version + 1', [data.plantId, data.version]);
        })(event, delivery);
        // Recorded once the handler's transaction has committed, so the test reads what it wrote.
        deliveries.push(event.eventId);
      },
    });
    return deliveries;
  };

  it('publishes an event committed with its state change and the consumer receives it', async () => {
    const plantId = `p-${randomUUID().slice(0, 8)}`;
    const deliveries = await startCache(`cache-${randomUUID()}`);
    relay(kafka);
    const event = await publishVersion(plantId, 1);
    await waitFor(() => deliveries.includes(event.eventId), 'the relayed event');
    const head = await env.pool.query('SELECT version FROM plant_model_heads WHERE plant_id = $1', [plantId]);
    const cache = await env.pool.query('SELECT version FROM plant_model_cache WHERE plant_id = $1', [plantId]);
    expect(head.rows).toEqual([{ version: 1 }]);
    expect(cache.rows).toEqual([{ version: 1 }]);
  });

  it('publishes nothing of a transaction that rolled back', async () => {
    const plantId = `p-${randomUUID().slice(0, 8)}`;
    const deliveries = await startCache(`cache-${randomUUID()}`);
    relay(kafka);
    const lost = versioned(plantId, 1);
    await expect(
      env.store.withTransaction(async (tx) => {
        await tx.query('INSERT INTO plant_model_heads VALUES ($1, 1)', [plantId]);
        await outbox.enqueue(lost, tx);
        throw new Error('validation of the new model failed after the append');
      }),
    ).rejects.toThrow(/validation of the new model failed/);
    const marker = await publishVersion(`${plantId}-marker`, 1);
    await waitFor(() => deliveries.includes(marker.eventId), 'the marker event');
    expect(deliveries).toEqual([marker.eventId]);
    expect((await env.pool.query('SELECT 1 FROM plant_model_heads WHERE plant_id = $1', [plantId])).rowCount).toBe(0);
  });

  it('rejects an invalid event in the outbox and rolls the state change back with it', async () => {
    const plantId = `p-${randomUUID().slice(0, 8)}`;
    const invalid = { ...versioned(plantId, 1), data: { plantId, version: 0 } } as IntegrationEvent;
    const failure = await publishVersion(plantId, 1, invalid as ReturnType<typeof versioned>).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ code: CONTRACT_ERROR_CODES.INVALID_EVENT, issues: [{ path: 'data.version', message: 'must be ≥ 1' }] });
    expect((await env.pool.query('SELECT 1 FROM plant_model_heads WHERE plant_id = $1', [plantId])).rowCount).toBe(0);
    expect(await env.store.readAll({ category })).toEqual([]);
  });

  it('republishes after a crash between broker acknowledgement and checkpoint; the consumer applies the event once', async () => {
    const plantId = `p-${randomUUID().slice(0, 8)}`;
    const deliveries = await startCache(`cache-${randomUUID()}`);
    // A relay process that dies right after Kafka acknowledged its first batch: the checkpoint
    // transaction never commits, and the dead process publishes nothing more.
    let crashed = false;
    const dying: EventBus = {
      publish: async (events) => {
        if (crashed) throw new Error('process is gone');
        await kafka.publish(events);
        crashed = true;
        throw new Error('SIGKILL after the broker acknowledged');
      },
      subscribe: (o) => kafka.subscribe(o),
      close: async () => undefined,
    };
    const subscriptionId = `relay-${randomUUID()}`;
    const first = relay(dying, subscriptionId);
    const event = await publishVersion(plantId, 1);
    await waitFor(() => crashed && deliveries.includes(event.eventId), 'the first publication');
    await first.stop();

    const second = relay(kafka, subscriptionId); // the restarted relay
    await waitFor(() => deliveries.filter((id) => id === event.eventId).length >= 2, 'the republication');
    await second.start().caughtUp;
    await waitFor(() => second.start().position() > 0, 'the checkpoint to advance');
    const cache = await env.pool.query('SELECT version FROM plant_model_cache WHERE plant_id = $1', [plantId]);
    expect(cache.rows).toEqual([{ version: 1 }]); // an upsert that counts applications: applied once
    const processed = await env.pool.query('SELECT count(*)::int AS n FROM messaging_processed_events WHERE event_id = $1', [event.eventId]);
    expect(processed.rows).toEqual([{ n: 1 }]);
  });

  it('keeps per-plant order from outbox to consumer across many transactions', async () => {
    const group = `order-${randomUUID()}`;
    const seen: { plantId: string; version: number }[] = [];
    await kafka.subscribe({ group, types: ['PlantModelVersioned'], handler: async (e) => void seen.push(e.data as { plantId: string; version: number }) });
    relay(kafka);
    const plants = ['a', 'b', 'c'].map((p) => `${p}-${randomUUID().slice(0, 6)}`);
    await Promise.all(plants.map(async (plantId) => {
      for (let version = 1; version <= 10; version++) await publishVersion(plantId, version);
    }));
    await waitFor(() => seen.length >= 30, '30 events');
    for (const plantId of plants) expect(seen.filter((s) => s.plantId === plantId).map((s) => s.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('dead-letters an outboxed event that no longer passes its contract instead of blocking', async () => {
    const plantId = `p-${randomUUID().slice(0, 8)}`;
    const deliveries = await startCache(`cache-${randomUUID()}`);
    const subscriptionId = `relay-${randomUUID()}`;
    // Written by an older, laxer build straight into the log.
    const stale = versioned(plantId, 1);
    await env.store.appendToStream(`${category}${stale.subject}`, [
      { eventId: stale.eventId, type: stale.type, data: { plantId, version: -3 }, metadata: { source: 'plant-model', subject: stale.subject, occurredAt: stale.occurredAt, correlationId: stale.correlationId } },
    ]);
    relay(kafka, subscriptionId);
    const next = await publishVersion(plantId, 2);
    await waitFor(() => deliveries.includes(next.eventId), 'the event after the stale one');
    expect(deliveries).toEqual([next.eventId]);
    const letters = await env.store.readStream(deadLetterStreamId(subscriptionId));
    expect(letters).toHaveLength(1);
    expect(letters[0]!.data).toMatchObject({ info: { eventId: stale.eventId, reason: 'invalid-event', errorCode: CONTRACT_ERROR_CODES.INVALID_EVENT } });
  });

  it('forwards only its own outbox when two relays with two categories share the event store', async () => {
    // Under the old rule `outbox-<x>-` was a prefix of `outbox-<x>-eu-`; the names now carry no "-".
    const name = `t${randomUUID().slice(0, 8)}`;
    const [categoryA, categoryB] = [outboxCategory(name), outboxCategory(`${name}eu`)];
    const outboxA = new TransactionalOutbox({ eventStore: env.store, registry, category: categoryA });
    const outboxB = new TransactionalOutbox({ eventStore: env.store, registry, category: categoryB });
    const group = `both-${randomUUID()}`;
    const consumed: string[] = [];
    await kafka.subscribe({ group, types: ['PlantModelVersioned'], handler: async (e) => void consumed.push(e.eventId) });
    /** The real Kafka bus, recording which relay published what. */
    const recording = (published: string[]): EventBus => ({
      publish: async (events) => {
        const list = (Array.isArray(events) ? events : [events]) as readonly IntegrationEvent[];
        await kafka.publish(list);
        published.push(...list.map((e) => e.eventId));
      },
      subscribe: (o) => kafka.subscribe(o),
      close: async () => undefined,
    });
    const [publishedA, publishedB] = [[] as string[], [] as string[]];
    const enqueue = (outbox: TransactionalOutbox, plantId: string) =>
      env.store.withTransaction(async (tx) => {
        const event = versioned(plantId, 1);
        await outbox.enqueue(event, tx);
        return event.eventId;
      });
    const a = [await enqueue(outboxA, `a1-${name}`), await enqueue(outboxA, `a2-${name}`)];
    const b = [await enqueue(outboxB, `b1-${name}`), await enqueue(outboxB, `b2-${name}`)];
    const relayA = relay(recording(publishedA), `relay-a-${name}`, categoryA);
    const relayB = relay(recording(publishedB), `relay-b-${name}`, categoryB);
    await Promise.all([relayA.start().caughtUp, relayB.start().caughtUp]);
    await waitFor(() => publishedA.length >= 2 && publishedB.length >= 2, 'both outboxes relayed');
    await waitFor(() => consumed.length >= 4, 'four events consumed');
    expect(publishedA).toEqual(a);
    expect(publishedB).toEqual(b);
    expect([...consumed].sort()).toEqual([...a, ...b].sort()); // each once: no relay forwarded the other's
  });

  it('refuses a relay or an outbox without a distinct outbox category', () => {
    const make = (c: unknown) => () => new OutboxRelay({ eventStore: env.store, bus: kafka, logger: testLogger, category: c as string });
    expect(make(undefined)).toThrow(expect.objectContaining({ code: 'MESSAGING.INVALID_CONFIG', details: { field: 'category', value: undefined } }));
    for (const bad of ['outbox-', 'outbox-ingestion', 'outbox-ingestion-eu-', 'integration-']) expect(make(bad)).toThrow(/not an outbox category/);
    expect(() => new TransactionalOutbox({ eventStore: env.store, category: 'outbox-' })).toThrow(/not an outbox category/);
  });
});
