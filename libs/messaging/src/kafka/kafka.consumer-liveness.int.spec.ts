import { ContractRegistry, defineEvent } from '@reflux/contracts';
import { freePort, kafkaBrokers, kafkaIdempotenceSupported, kafkaTestTopicSettings } from '@reflux/testing';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { waitFor } from '../event-bus.contract';
import { testLogger } from './kafka-test.support';
import { KafkaEventBus } from './kafka.event-bus';

const SESSION_TIMEOUT_MS = 6_000;

describe('Kafka consumer liveness', () => {
  const contract = defineEvent({ type: 'SlowProbe', topic: `test.slow.${randomUUID()}`, description: 'test', schema: z.object({ n: z.number() }) });
  const registry = new ContractRegistry([contract]);

  it('keeps its group membership through a handler that runs longer than the session timeout, so the message is handled once', async () => {
    const bus = new KafkaEventBus({
      brokers: kafkaBrokers(),
      clientId: 'reflux-liveness-test',
      logger: testLogger,
      registry,
      idempotent: kafkaIdempotenceSupported(),
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: 500,
      ...kafkaTestTopicSettings(),
    });
    try {
      const calls: number[] = [];
      await bus.subscribe({
        group: `g-${randomUUID()}`,
        topics: [contract.topic],
        handler: async (event) => {
          const { n } = event.data as { n: number };
          calls.push(n);
          if (n === 1) await new Promise((r) => setTimeout(r, SESSION_TIMEOUT_MS * 1.7));
        },
      });
      await bus.publish([1, 2].map((n) => registry.create('SlowProbe', { n }, { source: 'test', subject: 'unit-1' })));
      await waitFor(() => calls.includes(2), 'the message after the slow one', 40_000);
      await new Promise((r) => setTimeout(r, 3_000)); // room for a redelivery after an eviction
      expect(calls).toEqual([1, 2]);
    } finally {
      await bus.close();
    }
  }, 60_000);

  it('fails a subscribe that cannot connect with that error alone, leaving no join timer to reject later', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const bus = new KafkaEventBus({
      brokers: [`127.0.0.1:${await freePort()}`],
      clientId: 'reflux-unreachable-test',
      logger: testLogger,
      registry,
      joinTimeoutMs: 300,
      client: { retry: { retries: 1, initialRetryTime: 100 }, connectionTimeout: 300 },
      ...kafkaTestTopicSettings(),
    });
    try {
      await expect(bus.subscribe({ group: 'g', topics: [contract.topic], handler: async () => undefined })).rejects.toThrow(/connect/i);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await bus.close();
    }
  });
});
