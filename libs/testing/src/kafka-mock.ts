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
