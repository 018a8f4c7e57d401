import type { Decider } from '@reflux/decider';
import { Pool } from 'pg';
import { handleCommand } from './command-handler';
import { PostgresEventStore } from './postgres-event-store';
import { startCommitCutProxy, type CommitCutProxy } from './testing/commit-cut.proxy';
import { useEventStoreDatabase } from './testing/event-store.fixture';

type Command = { type: 'ReceiveBatch'; data: { massKg: number } };
type Event = { type: 'BatchReceived'; data: { massKg: number; inventoryAfterKg: number } };
type State = { inventoryKg: number };

const silo: Decider<Command, Event, State> = {
  initialState: () => ({ inventoryKg: 0 }),
  evolve: (_s, e) => ({ inventoryKg: e.data.inventoryAfterKg }),
  decide: (c, s) => [{ type: 'BatchReceived', data: { massKg: c.data.massKg, inventoryAfterKg: s.inventoryKg + c.data.massKg } }],
};

describe('an append whose COMMIT reply is lost (connection cut after the server committed)', () => {
  const env = useEventStoreDatabase('event_store_commit_cut');
  let proxy: CommitCutProxy;
  let pool: Pool;
  const stores: PostgresEventStore[] = [];
  const storeThroughProxy = (appendAttempts?: number): PostgresEventStore => {
    const store = new PostgresEventStore({ pool, appendAttempts });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    proxy = await startCommitCutProxy(env.url);
    pool = new Pool({ connectionString: proxy.url, max: 4 });
    pool.on('error', () => undefined);
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    await pool.end();
    await proxy.close();
  });

  it('is recognised by the store’s own retry as already committed, with generated event ids', async () => {
    const store = storeThroughProxy();
    await store.appendToStream('silo-A', [{ type: 'BatchReceived', data: { massKg: 1, inventoryAfterKg: 1 } }]);
    proxy.cutAfterNextCommit();
    const cutsBefore = proxy.cuts;
    const result = await store.appendToStream('silo-A', [{ type: 'BatchReceived', data: { massKg: 2, inventoryAfterKg: 3 } }], { expectedVersion: 0 });
    expect(proxy.cuts).toBe(cutsBefore + 1);
    expect(result).toMatchObject({ nextExpectedVersion: 1, idempotentReplay: true });
    expect((await env.store.readStream('silo-A')).map((e) => e.data)).toEqual([{ massKg: 1, inventoryAfterKg: 1 }, { massKg: 2, inventoryAfterKg: 3 }]);
  });

  it('applies a command once when handleCommand’s append loses its COMMIT reply', async () => {
    const store = storeThroughProxy();
    await handleCommand(store, silo, 'silo-B', { type: 'ReceiveBatch', data: { massKg: 5 } });
    proxy.cutAfterNextCommit();
    const result = await handleCommand(store, silo, 'silo-B', { type: 'ReceiveBatch', data: { massKg: 7 } });
    expect(result.nextExpectedVersion).toBe(1);
    expect((await env.store.readStream('silo-B')).map((e) => (e.data as Event['data']).massKg)).toEqual([5, 7]);
  });

  it('applies a command once when the store does not retry and handleCommand retries the unknown outcome itself', async () => {
    const store = storeThroughProxy(1);
    proxy.cutAfterNextCommit();
    const result = await handleCommand(store, silo, 'silo-C', { type: 'ReceiveBatch', data: { massKg: 4 } }, { retries: { retries: 3, initialDelayMs: 1 } });
    expect(result).toMatchObject({ idempotentReplay: true, nextExpectedVersion: 0, attempts: 2 });
    expect((await env.store.readStream('silo-C')).map((e) => (e.data as Event['data']).massKg)).toEqual([4]);
  });
});
