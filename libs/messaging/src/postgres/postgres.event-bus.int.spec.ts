import { describeEventBusContract } from '../event-bus.contract';
import { testLogger } from '../kafka/kafka-test.support';
import { readPostgresDeadLetters, startTestStore, type TestStore } from './postgres-test.support';
import { INTEGRATION_CATEGORY, PostgresEventBus } from './postgres.event-bus';

let env: TestStore;
beforeAll(async () => {
  env = await startTestStore('messaging_pg_bus');
});
afterAll(async () => {
  await env.close();
});

describeEventBusContract('PostgreSQL', async (registry) => {
  const bus = new PostgresEventBus({ eventStore: env.store, logger: testLogger, registry, batchSize: 50 });
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
