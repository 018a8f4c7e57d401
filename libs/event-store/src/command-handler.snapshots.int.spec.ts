import type { Decider } from '@reflux/decider';
import { handleCommand, type SnapshotOptions } from './command-handler';
import type { RecordedEvent } from './event-store.port';
import { useEventStoreDatabase } from './testing/event-store.fixture';

type Command = { type: 'Receive'; data: { massKg: number } };
type Event = { type: 'Received'; data: { massKg: number } };
type State = { inventoryKg: number; receipts: number };

const silo: Decider<Command, Event, State> = {
  initialState: () => ({ inventoryKg: 0, receipts: 0 }),
  evolve: (s, e) => ({ inventoryKg: s.inventoryKg + e.data.massKg, receipts: s.receipts + 1 }),
  decide: (c) => [{ type: 'Received', data: { massKg: c.data.massKg } }],
};
const receive = (massKg: number): Command => ({ type: 'Receive', data: { massKg } });

describe('handleCommand on a long stream', () => {
  const env = useEventStoreDatabase('event_store_snapshots');
  let eventsRead: number;
  let reads: number;
  const snapshots = (schemaVersion = 1): SnapshotOptions<State> => ({ store: env.store, name: 'silo', schemaVersion, every: 1000 });

  beforeAll(async () => {
    const store = env.store;
    const readStream = store.readStream.bind(store);
    jest.spyOn(store, 'readStream').mockImplementation(async (id, options) => {
      const page = await readStream(id, options);
      reads++;
      eventsRead += page.length;
      return page;
    });
    // 2,500 receipts of 1 kg each.
    for (let i = 0; i < 5; i++) await store.appendToStream('silo-long', Array.from({ length: 500 }, () => ({ type: 'Received', data: { massKg: 1 } })));
  });
  beforeEach(() => {
    eventsRead = 0;
    reads = 0;
  });

  it('folds the stream in pages, then from the snapshot it wrote, reading only the events after it', async () => {
    const first = await handleCommand(env.store, silo, 'silo-long', receive(10), { readPageSize: 1000, snapshots: snapshots() });
    expect(first.newState).toEqual({ inventoryKg: 2510, receipts: 2501 });
    expect({ reads, eventsRead }).toEqual({ reads: 3, eventsRead: 2500 }); // pages of 1000, 1000, 500
    expect(await env.store.loadSnapshot('silo-long', 'silo', 1)).toEqual({ streamVersion: 2500, state: { inventoryKg: 2510, receipts: 2501 } });

    reads = eventsRead = 0;
    const second = await handleCommand(env.store, silo, 'silo-long', receive(5), { snapshots: snapshots() });
    expect({ reads, eventsRead }).toEqual({ reads: 1, eventsRead: 0 });
    expect(second).toMatchObject({ newState: { inventoryKg: 2515, receipts: 2502 }, nextExpectedVersion: 2501 });
    // Not yet `every` events since the snapshot: it stays at 2500.
    expect(await env.store.loadSnapshot('silo-long', 'silo', 1)).toMatchObject({ streamVersion: 2500 });

    reads = eventsRead = 0;
    const third = await handleCommand(env.store, silo, 'silo-long', receive(1), { snapshots: snapshots() });
    expect(eventsRead).toBe(1);
    expect(third.newState).toEqual({ inventoryKg: 2516, receipts: 2503 });
  });

  it('ignores a snapshot of another schema version and folds from the start', async () => {
    const result = await handleCommand(env.store, silo, 'silo-long', receive(0), { snapshots: snapshots(2) });
    expect(eventsRead).toBe(2503);
    expect(result.newState).toEqual({ inventoryKg: 2516, receipts: 2504 });
    expect(await env.store.loadSnapshot('silo-long', 'silo', 2)).toMatchObject({ streamVersion: 2503 });
    expect(await env.store.loadSnapshot('silo-long', 'silo', 1)).toBeUndefined();
  });

  it('commits the command even when the snapshot cannot be written, and reports the failure', async () => {
    const failures: unknown[] = [];
    const failing: SnapshotOptions<State> = {
      ...snapshots(3),
      store: { loadSnapshot: async () => undefined, saveSnapshot: async () => Promise.reject(new Error('disk full')) },
      onSaveError: (error) => failures.push(error),
    };
    const result = await handleCommand(env.store, silo, 'silo-long', receive(1), { snapshots: failing });
    expect(result.nextExpectedVersion).toBe(2504);
    expect(failures).toEqual([new Error('disk full')]);
    const last: RecordedEvent | undefined = (await env.store.readStream('silo-long', { direction: 'backwards', maxCount: 1 }))[0];
    expect(last?.streamVersion).toBe(2504);
  });
});
