import type { Admin, Kafka } from 'kafkajs';
import pino from 'pino';
import { TopicAdmin } from './kafka-topics';

/** A stand-in for the broker's admin API (unit test of what is requested, not of Kafka). */
function fakeKafka(existing: string[], createError?: Error) {
  const created: { topic: string; numPartitions?: number; replicationFactor?: number }[][] = [];
  const admin = {
    connect: jest.fn(async () => undefined),
    disconnect: jest.fn(async () => undefined),
    listTopics: jest.fn(async () => [...existing]),
    createTopics: jest.fn(async ({ topics }: { topics: { topic: string }[] }) => {
      if (createError) throw createError;
      created.push(topics);
      existing.push(...topics.map((t) => t.topic));
      return true;
    }),
  };
  return { kafka: { admin: () => admin as unknown as Admin } as unknown as Kafka, admin, created };
}

describe('creating the bus topics through the admin client', () => {
  const logger = pino({ level: 'silent' });

  it('creates only the missing topics, each once per process, the dead-letter topic with one partition', async () => {
    const { kafka, admin, created } = fakeKafka(['reflux.ingestion.events.v1']);
    const topics = new TopicAdmin(kafka, { numPartitions: 12, replicationFactor: 2 }, logger);
    await topics.ensure(['reflux.ingestion.events.v1', 'reflux.ingestion.events.v1.dlq']);
    await topics.ensure(['reflux.ingestion.events.v1', 'reflux.ingestion.events.v1.dlq']);
    expect(created).toEqual([[expect.objectContaining({ topic: 'reflux.ingestion.events.v1.dlq', numPartitions: 1, replicationFactor: 2 })]]);
    expect(admin.listTopics).toHaveBeenCalledTimes(1);
  });

  it('accepts a topic another process created first, and fails retriably when the broker refuses', async () => {
    const raced = fakeKafka([], Object.assign(new Error('Topic with this name already exists'), { type: 'TOPIC_ALREADY_EXISTS' }));
    await expect(new TopicAdmin(raced.kafka, {}, logger).ensure(['t'])).resolves.toBeUndefined();
    const down = fakeKafka([], new Error('Connection error: connect ECONNREFUSED'));
    await expect(new TopicAdmin(down.kafka, {}, logger).ensure(['t'])).rejects.toMatchObject({ code: 'MESSAGING.TOPIC_SETUP_FAILED', retriable: true });
  });

  it('creates nothing when topic creation is left to the operator', async () => {
    const { kafka, admin } = fakeKafka([]);
    await new TopicAdmin(kafka, { create: false }, logger).ensure(['t']);
    expect(admin.connect).not.toHaveBeenCalled();
  });
});
