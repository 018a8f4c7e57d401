import type { RecordedEvent } from './event-store.port';
import { ComponentHealth } from '@reflux/observability';
import { pruneEvents, startRetention } from './event-store.retention';
import { useEventStoreDatabase } from './testing/event-store.fixture';

describe('retention of outbox and integration events', () => {
  const env = useEventStoreDatabase('event_store_retention');
  const count = async (prefix: string): Promise<number> =>
    Number((await env.pool.query<{ n: string }>(`SELECT count(*) AS n FROM reflux_events WHERE stream_id LIKE $1`, [`${prefix}%`])).rows[0].n);
  const drain = async (subscriptionId: string, category?: string): Promise<RecordedEvent[]> => {
    const seen: RecordedEvent[] = [];
    const sub = env.store.subscribe({ subscriptionId, category }, async (events) => void seen.push(...events));
    await sub.caughtUp;
    await sub.stop();
    return seen;
  };

  it('prunes nothing while no subscription has a checkpoint (a relay that has not run yet)', async () => {
    await env.store.appendToStream('outbox-svc-1', [{ type: 'BalanceReconciled', data: { n: 1 } }]);
    expect(await pruneEvents(env.pool, { categories: ['outbox-'], minAgeMs: 0 })).toBe(0);
  });

  it('deletes only old transport events that every subscription has handled; the relay then gets exactly the rest', async () => {
    await env.store.appendToStream('outbox-svc-1', [{ type: 'BalanceReconciled', data: { n: 2 } }, { type: 'BalanceReconciled', data: { n: 3 } }]);
    await env.store.appendToStream('integration-balance-1', [{ type: 'BalanceReconciled', data: { n: 4 } }]);
    await env.store.appendToStream('tank-1', [{ type: 'TankLevelMeasured', data: { levelM: 1 } }]);
    expect((await drain('relay', 'outbox-')).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(await drain('bus:balancing', 'integration-')).toHaveLength(1);
    // Appended after the relay's checkpoint: not yet relayed.
    await env.store.appendToStream('outbox-svc-1', [{ type: 'BalanceReconciled', data: { n: 5 } }]);

    // Too young: nothing goes.
    expect(await pruneEvents(env.pool, { categories: ['outbox-', 'integration-'], minAgeMs: 3_600_000 })).toBe(0);

    expect(await pruneEvents(env.pool, { categories: ['outbox-', 'integration-'], minAgeMs: 0, batchSize: 2 })).toBe(4);
    expect(await count('outbox-')).toBe(1);
    expect(await count('integration-')).toBe(0);
    expect(await count('tank-')).toBe(1); // domain events are never pruned
    expect((await drain('relay', 'outbox-')).map((e) => e.data)).toEqual([{ n: 5 }]);
    // The stream keeps its version: the next append continues after the pruned events.
    expect(await env.store.appendToStream('outbox-svc-1', [{ type: 'BalanceReconciled', data: { n: 6 } }], { expectedVersion: 3 })).toMatchObject({ nextExpectedVersion: 4 });
  });

  it('is held back by the slowest subscription', async () => {
    await drain('relay', 'outbox-'); // handles n 6
    const { lastGlobalPosition } = await env.store.appendToStream('outbox-svc-2', [{ type: 'BalanceReconciled', data: { n: 7 } }]);
    await drain('relay', 'outbox-');
    await drain('bus:balancing', 'integration-'); // moves past the outbox events it filters out
    // A second relay-like subscription that stopped before n 7.
    await env.pool.query(
      `INSERT INTO reflux_subscription_checkpoints (subscription_id, transaction_id, global_position)
       SELECT 'slow', transaction_id, global_position - 1 FROM reflux_events WHERE global_position = $1`,
      [lastGlobalPosition],
    );
    await pruneEvents(env.pool, { categories: ['outbox-'], minAgeMs: 0 });
    expect((await env.store.readAll({ category: 'outbox-' })).map((e) => e.data)).toEqual([{ n: 7 }]);
  });

  it('rejects a policy without categories, naming the field', async () => {
    await expect(pruneEvents(env.pool, { categories: [] })).rejects.toMatchObject({ issues: [{ path: 'policy.categories', message: expect.any(String) }] });
  });

  it('prunes periodically, reports to health, and stops cleanly', async () => {
    await env.store.appendToStream('integration-steam-1', [{ type: 'LossSuspected', data: { n: 8 } }]);
    await drain('relay', 'outbox-');
    await drain('bus:balancing', 'integration-');
    await env.pool.query(`DELETE FROM reflux_subscription_checkpoints WHERE subscription_id = 'slow'`); // retired
    const health = new ComponentHealth();
    const job = startRetention(env.pool, { categories: ['integration-'], minAgeMs: 0 }, { intervalMs: 50, health });
    const deadline = Date.now() + 10_000;
    while ((await count('integration-')) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await count('integration-')).toBe(0);
    expect(health.get('retention')?.state).toBe('running');
    await job.stop();
    expect(health.get('retention')).toBeUndefined();
  });
});
