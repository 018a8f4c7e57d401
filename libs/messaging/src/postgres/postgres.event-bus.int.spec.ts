import { ContractRegistry, defineEvent, PlantModelVersionedContract } from '@reflux/contracts';
import { randomUUID } from 'node:crypto';
import { describeEventBusContract, waitFor } from '../event-bus.contract';
import { testLogger } from '../kafka/kafka-test.support';
import { readPostgresDeadLetters, startTestStore, type TestStore } from './postgres-test.support';
import { INTEGRATION_CATEGORY } from './integration-event.codec';
import { PostgresEventBus } from './postgres.event-bus';

let env: TestStore;
beforeAll(async () => {
  env = await startTestStore('messaging_pg_bus');
});
afterAll(async () => {
  await env.close();
});

describeEventBusContract('PostgreSQL', async (registry, monitoring) => {
  const bus = new PostgresEventBus({ eventStore: env.store, logger: testLogger, registry, batchSize: 50, monitoring });
  return {
    bus,
    pool: env.pool,
    async injectRaw(topic, subject, envelope) {
      const e = envelope as Record<string, unknown>;
      const { eventId, type, schemaVersion, data, ...metadata } = e;
      await env.store.appendToStream(`${INTEGRATION_CATEGORY}${subject}`, [
        { eventId: eventId as string, type: type as string, schemaVersion: schemaVersion as number, data, metadata: { ...metadata, topic } },
      ]);
    },
    deadLetters: async (topic, group, atLeast) => (await readPostgresDeadLetters(env.store, group, atLeast)).filter((l) => l.topic === topic),
    close: () => bus.close(),
  };
});

describe('PostgreSQL event bus transactions', () => {
  const registry = new ContractRegistry([defineEvent({ ...PlantModelVersionedContract, topic: 'test.pg-tx' })]);
  let bus: PostgresEventBus;
  beforeAll(async () => {
    await env.pool.query('CREATE TABLE model_heads (plant_id text PRIMARY KEY, version int NOT NULL)');
    await env.pool.query('CREATE TABLE model_cache (plant_id text, version int NOT NULL, PRIMARY KEY (plant_id, version))');
  });
  beforeEach(() => {
    bus = new PostgresEventBus({ eventStore: env.store, logger: testLogger, registry, retry: { initialDelayMs: 5, maxDelayMs: 20 } });
  });
  afterEach(() => bus.close());
  const versioned = (plantId: string, version: number) =>
    registry.create('PlantModelVersioned', { plantId, version } as never, { source: 'plant-model', subject: `plant-model-${plantId}` });

  it('publishes with the state change in one transaction through the outbox', async () => {
    const seen: string[] = [];
    await bus.subscribe({ group: `g-${randomUUID()}`, types: ['PlantModelVersioned'], handler: async (e) => void seen.push(e.eventId) });
    const committed = versioned('p1', 1);
    await env.store.withTransaction(async (tx) => {
      await tx.query('INSERT INTO model_heads VALUES ($1, $2)', ['p1', 1]);
      await bus.outbox.enqueue(committed, tx);
    });
    const rolledBack = versioned('p2', 1);
    await expect(
      env.store.withTransaction(async (tx) => {
        await bus.outbox.enqueue(rolledBack, tx);
        await tx.query('INSERT INTO model_heads VALUES ($1, $2)', ['p1', 2]); // duplicate key: the transaction fails
      }),
    ).rejects.toThrow();
    const marker = versioned('p3', 1);
    await bus.publish(marker);
    await waitFor(() => seen.includes(marker.eventId), 'the marker');
    expect(seen).toEqual([committed.eventId, marker.eventId]);
  });

  it('undoes the writes of every failed try and applies the successful one exactly once', async () => {
    const group = `g-${randomUUID()}`;
    let flakyTries = 0; // the group reads the whole log: count tries of this test's event only
    await bus.subscribe({
      group,
      types: ['PlantModelVersioned'],
      handler: async (event, delivery) => {
        const { plantId, version } = event.data as { plantId: string; version: number };
        await delivery.transaction!.query('INSERT INTO model_cache VALUES ($1, $2)', [plantId, version]);
        if (plantId === 'poison') throw Object.assign(new Error('plant poison is not modelled'), { code: 'CACHE.UNKNOWN_PLANT', retriable: false });
        if (plantId === 'flaky' && ++flakyTries === 1) throw new Error('projection failed after writing');
      },
    });
    const flaky = versioned('flaky', 1);
    const poison = versioned('poison', 1);
    const after = versioned('after', 1);
    await bus.publish([flaky, poison, after]);
    await waitFor(async () => (await env.pool.query("SELECT 1 FROM model_cache WHERE plant_id = 'after'")).rowCount === 1, 'the event after the poison one');
    const { rows } = await env.pool.query("SELECT plant_id FROM model_cache WHERE plant_id IN ('flaky', 'poison', 'after') ORDER BY plant_id");
    expect(rows.map((r: { plant_id: string }) => r.plant_id)).toEqual(['after', 'flaky']);
    expect(flakyTries).toBe(2);
    const letters = await readPostgresDeadLetters(env.store, group, 1);
    expect(letters).toEqual([expect.objectContaining({ eventId: poison.eventId, reason: 'handler-failed', attempts: 1, errorCode: 'CACHE.UNKNOWN_PLANT' })]);
  });

  it('gives up a batch whose transaction was lost mid-try and handles the event again from a new one, dead-lettering nothing', async () => {
    const group = `g-${randomUUID()}`;
    const tries: number[] = [];
    await bus.subscribe({
      group,
      types: ['PlantModelVersioned'],
      handler: async (event, delivery) => {
        const { plantId, version } = event.data as { plantId: string; version: number };
        if (plantId !== 'dropped') return;
        tries.push(version);
        if (tries.length === 1) await delivery.transaction!.query('SELECT pg_terminate_backend(pg_backend_pid())').catch(() => undefined); // the connection drops
        await delivery.transaction!.query('INSERT INTO model_cache VALUES ($1, $2)', [plantId, version]);
      },
    });
    await bus.publish(versioned('dropped', 1));
    await waitFor(async () => (await env.pool.query("SELECT 1 FROM model_cache WHERE plant_id = 'dropped'")).rowCount === 1, 'the event handled in a new transaction');
    expect(tries).toEqual([1, 1]);
    expect(await readPostgresDeadLetters(env.store, group, 0)).toEqual([]);
  });
});
