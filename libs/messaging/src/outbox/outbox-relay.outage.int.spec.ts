import { ComponentHealth } from '@reflux/observability';
import { ContractRegistry, defineEvent, PlantModelVersionedContract } from '@reflux/contracts';
import { kafkaBrokers, kafkaIdempotenceSupported, kafkaTestTopicSettings, startTcpProxy, type TcpProxy } from '@reflux/testing';
import { connect } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { waitFor } from '../event-bus.contract';
import { testLogger } from '../kafka/kafka-test.support';
import { KafkaEventBus } from '../kafka/kafka.event-bus';
import { startTestStore, type TestStore } from '../postgres/postgres-test.support';
import { outboxCategory } from './outbox-category';
import { OutboxRelay, stopRelayAndBus } from './outbox-relay';
import { TransactionalOutbox } from './transactional-outbox';

const OUTAGE_MS = 30_000;
/** Bound of the relay's shutdown (the services' drain budget, SHUTDOWN_GRACE_MS, defaults to 10 s). */
const DRAIN_TIMEOUT_MS = 10_000;

let env: TestStore;
beforeAll(async () => {
  env = await startTestStore('messaging_outage');
});
afterAll(async () => {
  await env.close();
});

/**
 * The broker becomes unreachable for 30 s behind a loopback TCP proxy (every client connection of
 * the relay's bus goes through it); a reader connected directly sees what was published.
 */
describe('outbox relay during a Kafka broker outage', () => {
  let proxy: TcpProxy;
  let registry: ContractRegistry;
  let category: string;
  let health: ComponentHealth;
  let metrics: Registry;
  let reader: KafkaEventBus;
  const received = new Set<string>();

  beforeEach(async () => {
    const [host, port] = kafkaBrokers()[0]!.split(':');
    proxy = await startTcpProxy({ host: host!, port: Number(port) });
    registry = new ContractRegistry([defineEvent({ ...PlantModelVersionedContract, topic: `test.outage.${randomUUID()}` })]);
    category = outboxCategory(`o${randomUUID().slice(0, 8)}`);
    health = new ComponentHealth();
    metrics = new Registry();
    received.clear();
    reader = new KafkaEventBus({ brokers: kafkaBrokers(), clientId: 'outage-reader', logger: testLogger, registry, idempotent: kafkaIdempotenceSupported(), heartbeatIntervalMs: 300, ...kafkaTestTopicSettings() });
    await reader.subscribe({ group: `reader-${randomUUID()}`, types: ['PlantModelVersioned'], handler: async (e) => void received.add(e.eventId) });
  });
  afterEach(async () => {
    await reader.close();
    await proxy.close();
  });

  /** The relay's bus: through the proxy, with tight publish bounds. */
  const proxiedBus = () =>
    new KafkaEventBus({
      brokers: [`127.0.0.1:${proxy.port}`],
      clientId: 'outage-relay',
      logger: testLogger,
      registry,
      idempotent: kafkaIdempotenceSupported(),
      ...kafkaTestTopicSettings(),
      publishTimeoutMs: 5_000,
      requestTimeoutMs: 2_000,
      producerRetries: 2,
      client: { socketFactory: ({ onConnect }) => connect({ host: '127.0.0.1', port: proxy.port }, onConnect) },
    });
  const startRelay = (bus: KafkaEventBus) => {
    const relay = new OutboxRelay({ eventStore: env.store, bus, logger: testLogger, registry, category, subscriptionId: `relay-${category}`, batchSize: 10, monitoring: { health, metrics } });
    relay.start();
    return relay;
  };
  const outbox = () => new TransactionalOutbox({ eventStore: env.store, registry, category });
  const enqueue = async (count: number, from: number) => {
    const ids: string[] = [];
    for (let i = from; i < from + count; i++) {
      const event = registry.create('PlantModelVersioned', { plantId: `p${i % 3}`, version: i + 1 } as never, { source: 'plant-model', subject: `plant-model-p${i % 3}` });
      await env.store.withTransaction((tx) => outbox().enqueue(event, tx));
      ids.push(event.eventId);
    }
    return ids;
  };
  const failures = async () => (await metrics.getSingleMetric('reflux_outbox_relay_publish_failures_total')?.get())?.values.reduce((n, v) => n + v.value, 0) ?? 0;
  const relayState = () => health.get(`relay:relay-${category}`)?.state;

  it('reports the outage, loses nothing, and publishes every outboxed event once the broker is back', async () => {
    const bus = proxiedBus();
    const relay = startRelay(bus);
    try {
      const before = await enqueue(3, 0);
      await waitFor(() => before.every((id) => received.has(id)), 'the events before the outage');
      expect(relayState()).toBe('running');

      await proxy.down();
      const downAt = Date.now();
      const during = await enqueue(12, 3);
      await waitFor(() => relayState() === 'degraded', 'the relay to report the outage', OUTAGE_MS);
      expect(health.get(`relay:relay-${category}`)?.detail).toMatch(/MESSAGING\.PUBLISH_FAILED/);
      await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - downAt))));
      expect(await failures()).toBeGreaterThanOrEqual(2);
      expect(during.filter((id) => received.has(id))).toEqual([]);

      await proxy.up();
      await waitFor(() => during.every((id) => received.has(id)), 'every event outboxed during the outage', 60_000);
      await waitFor(() => relayState() === 'running', 'the relay to report running again');
      expect([...received].sort()).toEqual([...before, ...during].sort());
    } finally {
      await stopRelayAndBus(relay, bus);
    }
  }, 150_000);

  it('shuts down within the drain timeout during the outage, and the next start publishes what was left', async () => {
    const bus = proxiedBus();
    const relay = startRelay(bus);
    await proxy.down();
    const during = await enqueue(5, 0);
    await waitFor(() => relayState() === 'degraded', 'the relay to report the outage', OUTAGE_MS);
    await new Promise((r) => setTimeout(r, 1_000)); // a publish is in flight again

    const started = Date.now();
    await stopRelayAndBus(relay, bus);
    expect(Date.now() - started).toBeLessThan(DRAIN_TIMEOUT_MS);
    expect(health.get(`relay:relay-${category}`)).toBeUndefined();

    await proxy.up();
    const nextBus = proxiedBus();
    const next = startRelay(nextBus);
    try {
      await waitFor(() => during.every((id) => received.has(id)), 'the events left by the stopped relay', 60_000);
    } finally {
      await stopRelayAndBus(next, nextBus);
    }
  }, 150_000);
});
