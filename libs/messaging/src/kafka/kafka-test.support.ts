// Test support for the Kafka adapter's integration tests (not exported from the library).
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import pino from 'pino';
import { kafkaBrokers } from '@reflux/testing';
import { parseDeadLetterHeaders, type DeadLetterInfo } from '../dead-letter';
import { headersToStrings } from './kafka-message.codec';

export const testLogger = pino({ level: process.env['REFLUX_TEST_LOG_LEVEL'] ?? 'silent' });

export function rawKafka(): Kafka {
  return new Kafka({ brokers: kafkaBrokers(), clientId: 'reflux-test-raw', logLevel: logLevel.NOTHING });
}

/** Reads `<topic>.dlq` from the beginning until at least `atLeast` dead letters of `group` arrived. */
export async function readDeadLetters(kafka: Kafka, dlqTopic: string, group: string, atLeast: number, timeoutMs = 20_000): Promise<DeadLetterInfo[]> {
  const consumer: Consumer = kafka.consumer({ groupId: `dlq-reader-${Math.random().toString(36).slice(2)}`, heartbeatInterval: 500, maxWaitTimeInMs: 200 });
  const letters: DeadLetterInfo[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [dlqTopic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const info = parseDeadLetterHeaders(headersToStrings(message.headers));
        if (info && info.group === group) letters.push(info);
      },
    });
    const deadline = Date.now() + (atLeast === 0 ? 1_500 : timeoutMs);
    while (letters.length < Math.max(atLeast, 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  } finally {
    await consumer.disconnect();
  }
  return letters;
}
