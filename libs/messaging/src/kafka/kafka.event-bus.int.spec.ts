import { deadLetterTopic } from '@reflux/contracts';
import { createTestDatabase, kafkaBrokers, kafkaIdempotenceSupported, kafkaTestTopicSettings } from '@reflux/testing';
import { Pool } from 'pg';
import { describeEventBusContract } from '../event-bus.contract';
import { migrateMessaging } from '../idempotency/processed-events.schema';
import { rawKafka, readDeadLetters, testLogger } from './kafka-test.support';
import { KafkaEventBus } from './kafka.event-bus';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase('messaging_kafka');
  pool = new Pool({ connectionString: db.url, max: 5 });
  await migrateMessaging(pool);
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

describeEventBusContract('Kafka', async (registry, monitoring) => {
  const bus = new KafkaEventBus({
    brokers: kafkaBrokers(),
    clientId: 'reflux-bus-contract',
    logger: testLogger,
    registry,
    idempotent: kafkaIdempotenceSupported(),
    heartbeatIntervalMs: 300,
    sessionTimeoutMs: 10_000,
    ...kafkaTestTopicSettings(),
    monitoring,
  });
  const raw = rawKafka();
  const producer = raw.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  return {
    bus,
    pool,
    async injectRaw(topic, subject, envelope) {
      await producer.send({ topic, acks: -1, messages: [{ key: subject, value: JSON.stringify(envelope) }] });
    },
    deadLetters: (topic, group, atLeast) => readDeadLetters(raw, deadLetterTopic(topic), group, atLeast),
    async close() {
      await producer.disconnect();
      await bus.close();
    },
  };
});
