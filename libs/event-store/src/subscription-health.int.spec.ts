import { ComponentHealth, type ComponentReport } from '@reflux/observability';
import { Registry } from 'prom-client';
import { PostgresEventStore } from './postgres-event-store';
import { useEventStoreDatabase } from './testing/event-store.fixture';

async function waitFor(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const metricValue = async (registry: Registry, name: string, subscription: string): Promise<number | undefined> =>
  (await registry.getSingleMetric(name)?.get())?.values.find((v) => v.labels.subscription === subscription)?.value;

describe('subscription health and metrics', () => {
  const env = useEventStoreDatabase('event_store_health');
  let registry: Registry;
  let health: ComponentHealth;
  let store: PostgresEventStore;
  beforeEach(() => {
    registry = new Registry();
    health = new ComponentHealth(registry);
    store = new PostgresEventStore({ pool: env.pool, monitoring: { health, metrics: registry, failedAfterFailures: 3 } });
  });
  afterEach(() => store.close());

  it('reports failed, naming the event, when stuck on a poison event, after degraded while retrying', async () => {
    await env.store.appendToStream('analyser-1', [{ type: 'CompositionMeasured', data: { ok: true } }]);
    const { lastGlobalPosition } = await env.store.appendToStream('analyser-1', [{ eventId: 'poison-1', type: 'CompositionMeasured', data: { ok: false } }]);
    const states: ComponentReport['state'][] = [];
    health.onChange((r) => r.name === 'compositions' && r.state !== states.at(-1) && states.push(r.state));
    const sub = store.subscribe({ subscriptionId: 'compositions', batchSize: 1 }, async (events) => {
      if (events.some((e) => !(e.data as { ok: boolean }).ok)) throw new Error('mass fractions do not sum to 1');
    });
    await waitFor('failed', () => health.get('compositions')?.state === 'failed');
    expect(states).toEqual(['starting', 'running', 'degraded', 'failed']);
    expect(health.get('compositions')).toMatchObject({ kind: 'subscription', detail: expect.stringContaining(`event poison-1 (CompositionMeasured, stream analyser-1, global position ${lastGlobalPosition})`) });
    expect(health.get('compositions')?.detail).toContain('mass fractions do not sum to 1');
    expect(health.healthy()).toBe(false);
    expect(await metricValue(registry, 'reflux_subscription_batch_failures_total', 'compositions')).toBeGreaterThanOrEqual(3);
    expect(await metricValue(registry, 'reflux_subscription_position_lag', 'compositions')).toBeGreaterThan(0);
    await sub.stop();
    // Stopped on purpose: it no longer holds health down.
    expect(health.get('compositions')).toBeUndefined();
    expect(health.healthy()).toBe(true);
  });

  it('reports running with no lag and the time of the last handled batch once caught up', async () => {
    await env.store.appendToStream('analyser-2', [{ type: 'CompositionMeasured', data: { ok: true } }]);
    const before = Date.now() / 1000;
    const sub = store.subscribe({ subscriptionId: 'healthy', category: 'analyser-2' }, async () => undefined);
    await sub.caughtUp;
    expect(health.get('healthy')?.state).toBe('running');
    expect(await metricValue(registry, 'reflux_subscription_position_lag', 'healthy')).toBe(0);
    expect(await metricValue(registry, 'reflux_subscription_lag_seconds', 'healthy')).toBe(0);
    expect(await metricValue(registry, 'reflux_subscription_last_handled_timestamp_seconds', 'healthy')).toBeGreaterThanOrEqual(before - 1);
    await sub.stop();
  });
});
