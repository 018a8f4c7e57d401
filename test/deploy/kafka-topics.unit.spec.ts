import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { deadLetterTopic, integrationEvents } from '@reflux/contracts';
import { ROOT, read } from './deploy-fixtures';
import { type K8s, OVERLAYS, dataOf, find, render } from './k8s-render';

const listed = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

describe('Kafka topics provisioned for Kubernetes (k8s/base/kafka-topics)', () => {
  const script = read('k8s/base/kafka-topics/create-topics.sh');

  it('lists exactly the topics of the registered integration events', () => {
    expect(listed(read('k8s/base/kafka-topics/topics.txt')).sort()).toEqual(integrationEvents.topics().sort());
  });

  it('creates each topic and its dead-letter topic, idempotently, with the settings the services would use', () => {
    expect(deadLetterTopic('t')).toBe('t.dlq');
    expect(script).toMatch(/ensure "\$topic\.dlq" 1 "\$KAFKA_DLQ_RETENTION_MS"/);
    expect(script).toMatch(/ensure "\$topic" "\$KAFKA_TOPIC_PARTITIONS" "\$KAFKA_TOPIC_RETENTION_MS"/);
    expect(script).toContain('--if-not-exists');
    expect(script).toContain('--replication-factor "$KAFKA_TOPIC_REPLICATION_FACTOR"');
    expect(script).not.toMatch(/--alter/);
    execFileSync('sh', ['-n', join(ROOT, 'k8s/base/kafka-topics/create-topics.sh')]);
  });

  it.each(OVERLAYS)('runs in the %s overlay from the generated ConfigMap with the platform settings', (overlay) => {
    const objects = render(overlay);
    const job = objects.find((o) => o.kind === 'Job' && o.metadata.labels['app.kubernetes.io/component'] === 'kafka-topics')!;
    const pod = job.spec.template.spec;
    const container = pod.containers[0];
    const volume = pod.volumes.find((v: K8s) => v.configMap && container.volumeMounts.some((m: K8s) => m.name === v.name && m.mountPath === '/etc/reflux/kafka-topics'));
    const files = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === volume.configMap.name)!;
    expect(Object.keys(files.data).sort()).toEqual(['create-topics.sh', 'topics.txt']);
    expect(files.data['topics.txt']).toBe(read('k8s/base/kafka-topics/topics.txt'));
    expect(container.command).toEqual(['/bin/sh', '/etc/reflux/kafka-topics/create-topics.sh']);
    const platform = find(objects, 'ConfigMap', 'reflux-platform');
    expect(container.envFrom).toEqual([{ configMapRef: { name: platform.metadata.name } }]);
    const config = dataOf(platform);
    for (const name of ['KAFKA_BROKERS', 'KAFKA_TOPIC_PARTITIONS', 'KAFKA_TOPIC_REPLICATION_FACTOR', 'KAFKA_TOPIC_RETENTION_MS', 'KAFKA_DLQ_RETENTION_MS']) {
      expect([name, config[name] !== undefined]).toEqual([name, true]);
    }
    expect(config.KAFKA_TOPIC_CREATE).toBe('false');
  });
});
