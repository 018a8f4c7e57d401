import type { Decider } from '@reflux/decider';
import { type PostgresEventStore } from './postgres-event-store';
import { handleCommand } from './command-handler';
import { useEventStoreDatabase } from './testing/event-store.fixture';

type Command = { type: 'ReceiveBatch'; data: { massKg: number } };
type Event = { type: 'BatchReceived'; data: { massKg: number; inventoryAfterKg: number } };
type State = { inventoryKg: number };

const silo: Decider<Command, Event, State> = {
  initialState: () => ({ inventoryKg: 0 }),
  evolve: (_s, e) => ({ inventoryKg: e.data.inventoryAfterKg }),
  decide: (c, s) => [{ type: 'BatchReceived', data: { massKg: c.data.massKg, inventoryAfterKg: s.inventoryKg + c.data.massKg } }],
};

describe('handleCommand on PostgreSQL', () => {
  const env = useEventStoreDatabase('event_store_cmd');
  let store: PostgresEventStore;
  beforeAll(() => ({ store } = env));

  it('applies every one of many concurrent commands exactly once by retrying version conflicts', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => handleCommand(store, silo, 'silo-S1', { type: 'ReceiveBatch', data: { massKg: i + 1 } }, { retries: { retries: 30, initialDelayMs: 2, maxDelayMs: 50 } })),
    );
    const events = await store.readStream('silo-S1');
    expect(events).toHaveLength(12);
    // Each decision saw the state the previous one produced: a consistent running total.
    let total = 0;
    for (const e of events) {
      const data = e.data as Event['data'];
      total += data.massKg;
      expect(data.inventoryAfterKg).toBe(total);
    }
    expect(total).toBe(78);
    expect(results.some((r) => r.attempts > 1)).toBe(true);
  });
});
