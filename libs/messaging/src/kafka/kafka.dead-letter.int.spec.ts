import { kafkaBrokers, kafkaIdempotenceSupported, kafkaTestTopicSettings } from '@reflux/testing';
import { ContractRegistry, deadLetterTopic, defineEvent } from '@reflux/contracts';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parseDeadLetterHeaders } from '../dead-letter';
import { waitFor } from '../event-bus.contract';
import { headersToStrings } from './kafka-message.codec';
import { rawKafka, testLogger } from './kafka-test.support';
import { KafkaEventBus } from './kafka.event-bus';

describe('Kafka dead-letter topic', () => {
  it('copies an undecodable message byte for byte to <topic>.dlq with its failure and original headers', async () => {
    const contract = defineEvent({ type: 'Probe', topic: `test.dlq.${randomUUID()}`, description: 'test', schema: z.object({ n: z.number() }) });
    const registry = new ContractRegistry([contract]);
    const bus = new KafkaEventBus({ brokers: kafkaBrokers(), clientId: 'reflux-dlq-test', logger: testLogger, registry, idempotent: kafkaIdempotenceSupported(), heartbeatIntervalMs: 300, ...kafkaTestTopicSettings() });
    const raw = rawKafka();
    const producer = raw.producer();
    const reader = raw.consumer({ groupId: `dlq-${randomUUID()}`, heartbeatInterval: 300, maxWaitTimeInMs: 200 });
    try {
      const handled: unknown[] = [];
      const group = `g-${randomUUID()}`;
      await bus.subscribe({ group, topics: [contract.topic], handler: async (e) => void handled.push(e) });
      await producer.connect();
      await producer.send({ topic: contract.topic, acks: -1, messages: [{ key: 'unit-7', value: Buffer.from([0xff, 0x00, 0x7b]), headers: { 'x-origin': 'legacy-historian' } }] });
      await bus.publish(registry.create('Probe', { n: 1 }, { source: 'test', subject: 'unit-7' }));
      await waitFor(() => handled.length >= 1, 'the valid event after the undecodable one');

      const letters: { key: string; value: Buffer; headers: Record<string, string> }[] = [];
      await reader.connect();
      await reader.subscribe({ topics: [deadLetterTopic(contract.topic)], fromBeginning: true });
      await reader.run({ eachMessage: async ({ message }) => void letters.push({ key: String(message.key), value: message.value!, headers: headersToStrings(message.headers) }) });
      await waitFor(() => letters.length >= 1, 'the dead letter');
      expect(letters).toHaveLength(1);
      expect(letters[0]!.key).toBe('unit-7');
      expect([...letters[0]!.value]).toEqual([0xff, 0x00, 0x7b]);
      expect(letters[0]!.headers['x-origin']).toBe('legacy-historian');
      expect(parseDeadLetterHeaders(letters[0]!.headers)).toMatchObject({ group, topic: contract.topic, reason: 'invalid-event', errorCode: 'MESSAGING.UNDECODABLE_MESSAGE', position: expect.stringMatching(/^\d+\/0$/) });
    } finally {
      await reader.disconnect();
      await producer.disconnect();
      await bus.close();
    }
  });

  it('refuses to publish once closed', async () => {
    const bus = new KafkaEventBus({ brokers: kafkaBrokers(), clientId: 'reflux-closed-test', logger: testLogger, idempotent: kafkaIdempotenceSupported() });
    await bus.close();
    await expect(bus.publish([])).rejects.toMatchObject({ code: 'MESSAGING.BUS_CLOSED' });
  });
});
