import type { RecordedEvent } from './event-store.port';
import { EVENT_STORE_ERROR_CODES } from './event-store.errors';
import { rebaseTransactionIds } from './event-store.transaction-ids';
import { writeCheckpoint } from './event-store.subscription';
import { useEventStoreDatabase } from './testing/event-store.fixture';

const shiftUp = (column: string) => `((${column}::text::bigint + 1000000)::text::xid8)`;

describe('stored transaction ids ahead of the cluster (a restore into another cluster)', () => {
  const env = useEventStoreDatabase('event_store_xids');

  it('refuses to start with the way out, and after a rebase subscriptions resume where they stood', async () => {
    const { store, pool } = env;
    await store.appendToStream('valve-1', [{ type: 'ValveOpened', data: { n: 1 } }]);
    await store.appendToStream('valve-1', [{ type: 'ValveOpened', data: { n: 2 } }]);
    const all = await store.subscribe({ subscriptionId: 'all' }, async () => undefined);
    await all.caughtUp;
    await all.stop();
    // `half` has handled the first event only.
    const [first] = (await pool.query<{ tid: string; pos: string }>('SELECT transaction_id::text AS tid, global_position AS pos FROM reflux_events ORDER BY global_position LIMIT 1')).rows;
    await store.withTransaction((tx) => writeCheckpoint(tx, 'half', { transactionId: first.tid, globalPosition: Number(first.pos) }));

    // What a dump restored into a cluster whose counter is a million lower looks like.
    await pool.query(`UPDATE reflux_events SET transaction_id = ${shiftUp('transaction_id')}`);
    await pool.query(`UPDATE reflux_subscription_checkpoints SET transaction_id = ${shiftUp('transaction_id')}`);
    await pool.query(`UPDATE reflux_streams SET last_transaction_id = ${shiftUp('last_transaction_id')}`);

    const refusal = store.migrate();
    await expect(refusal).rejects.toMatchObject({ code: EVENT_STORE_ERROR_CODES.TRANSACTION_IDS_AHEAD, retriable: false });
    await expect(refusal).rejects.toThrow(/rebase-transaction-ids/);
    const refused = store.subscribe({ subscriptionId: 'all' }, async () => undefined);
    await expect(refused.caughtUp).rejects.toMatchObject({ code: EVENT_STORE_ERROR_CODES.TRANSACTION_IDS_AHEAD });
    await refused.stop();

    expect(await rebaseTransactionIds(pool)).toMatchObject({ eventsRebased: 2, checkpointsRebased: 2 });
    await expect(store.migrate()).resolves.toEqual([]);
    await store.appendToStream('valve-1', [{ type: 'ValveOpened', data: { n: 3 } }]);

    const seen = async (subscriptionId: string): Promise<unknown[]> => {
      const events: RecordedEvent[] = [];
      const sub = store.subscribe({ subscriptionId }, async (batch) => void events.push(...batch));
      await sub.caughtUp;
      await sub.stop();
      return events.map((e) => e.data);
    };
    expect(await seen('all')).toEqual([{ n: 3 }]);
    expect(await seen('half')).toEqual([{ n: 2 }, { n: 3 }]);
    expect(await seen('new')).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(await store.appendToStream('valve-1', [{ type: 'ValveOpened', data: { n: 4 } }], { expectedVersion: 2 })).toMatchObject({ nextExpectedVersion: 3 });
  });
});
