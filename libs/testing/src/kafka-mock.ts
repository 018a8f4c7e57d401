import { execFileSync } from 'node:child_process';
import { spawnUntilReady } from './child-process';

export interface KafkaMockCluster {
  /** Bootstrap address, `127.0.0.1:PORT`. */
  readonly brokers: string;
  stop(): Promise<void>;
}

/** Whether Debian's kcat is on the PATH (`apt-get install kcat`). */
export function hasKcat(): boolean {
  try {
    execFileSync('kcat', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts librdkafka's mock cluster through kcat. It speaks the Kafka protocol (produce, fetch,
 * consumer groups, offsets) and creates topics on first use; it is not a full broker: admin
 * createTopics fails against it, and its metadata names no controller (librdkafka 2.0), which
 * kafkajs's idempotent producer needs to obtain a producer id.
 */
export async function startKafkaMockCluster(brokerCount = 1): Promise<KafkaMockCluster> {
  const { process: child, value } = await spawnUntilReady(
    'kcat',
    ['-b', 'localhost:1', '-X', `test.mock.num.brokers=${brokerCount}`, '-C', '-t', 'reflux-keepalive', '-o', 'end', '-q'],
    (line) => /Mock cluster enabled.*replaced with (\S+)/.exec(line)?.[1],
  );
  return { brokers: value.split(',')[0]!, stop: () => child.stop('SIGKILL') };
}

/** The test broker's bootstrap addresses, set by the jest global setup (mock cluster or container). */
export function kafkaBrokers(): string[] {
  const brokers = process.env['REFLUX_TEST_KAFKA_BROKERS'];
  if (!brokers) throw new Error('REFLUX_TEST_KAFKA_BROKERS is not set: run through jest (its global setup starts the Kafka mock cluster; apt-get install kcat)');
  return brokers.split(',');
}

/**
 * Whether the test broker can serve kafkajs's idempotent producer. librdkafka's mock cluster (the
 * default test broker) names controller 0, a broker that does not exist, so kafkajs cannot obtain
 * a producer id from it and the idempotent producer never becomes ready. Against it the tests run
 * with idempotence off (acks=all and one request in flight still hold); against a real broker
 * (REFLUX_TEST_KAFKA_KIND=broker, testcontainers) they run idempotent, the production default.
 */
export function kafkaIdempotenceSupported(): boolean {
  return process.env['REFLUX_TEST_KAFKA_KIND'] === 'broker';
}

/**
 * Topic settings of a Kafka event bus for the test broker. librdkafka's mock cluster names a
 * controller that does not exist, so kafkajs's admin cannot create topics there: against it the
 * broker auto-creates them on first use. Against a real broker (REFLUX_TEST_KAFKA_KIND=broker) the
 * bus creates them through the admin client, as in production (replication factor 1).
 */
export function kafkaTestTopicSettings(): { allowAutoTopicCreation: boolean; topics: { create: boolean; replicationFactor?: number } } {
  return kafkaIdempotenceSupported() ? { allowAutoTopicCreation: false, topics: { create: true, replicationFactor: 1 } } : { allowAutoTopicCreation: true, topics: { create: false } };
}
