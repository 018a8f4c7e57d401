import type { RecordedEvent } from './event-store.port';
import { PostgresEventStore } from './postgres-event-store';
import { defineProjection, rebuildProjection, startProjection } from './projection';
import { useEventStoreDatabase } from './testing/event-store.fixture';
import { defineUpcaster } from './upcaster.registry';

// v1 stored `LevelRead { levelMm }`; v2 renamed it to `TankLevelMeasured { levelM }`.
const upcasters = [defineUpcaster<{ levelMm: number }, { levelM: number }>('LevelRead', 1, (d) => ({ levelM: d.levelMm / 1000 }), { renamesTo: 'TankLevelMeasured' })];

describe('a type renamed by an upcaster', () => {
  const env = useEventStoreDatabase('event_store_rename');
  let store: PostgresEventStore;
  beforeAll(async () => {
    store = new PostgresEventStore({ pool: env.pool, upcasters });
    await env.store.appendToStream('tank-1', [{ type: 'LevelRead', schemaVersion: 1, data: { levelMm: 1500 } }]);
    await env.store.appendToStream('tank-1', [{ type: 'TankDrained', data: {} }]);
    await env.store.appendToStream('tank-1', [{ type: 'TankLevelMeasured', schemaVersion: 2, data: { levelM: 2 } }]);
  });
  afterAll(() => store.close());

  it('reaches a subscription filtered on the new name, old rows included, and nothing else', async () => {
    const seen: RecordedEvent[] = [];
    const sub = store.subscribe({ subscriptionId: 'levels', eventTypes: ['TankLevelMeasured'] }, async (events) => void seen.push(...events));
    await sub.caughtUp;
    await sub.stop();
    expect(seen.map((e) => [e.type, e.data])).toEqual([['TankLevelMeasured', { levelM: 1.5 }], ['TankLevelMeasured', { levelM: 2 }]]);
  });

  it('reaches a projection’s handler for the new name, live and in a rebuild', async () => {
    const levels: number[] = [];
    const projection = defineProjection({
      name: 'levels',
      reset: async () => void levels.splice(0),
      handlers: { TankLevelMeasured: async (e) => void levels.push((e.data as { levelM: number }).levelM) },
    });
    const live = await startProjection(store, projection);
    await live.caughtUp;
    await live.stop();
    expect(levels).toEqual([1.5, 2]);
    expect(await rebuildProjection(store, projection)).toMatchObject({ eventsApplied: 2 });
    expect(levels).toEqual([1.5, 2]);
  });

  it('is found by readAll filtered on the new name', async () => {
    expect((await store.readAll({ eventTypes: ['TankLevelMeasured'] })).map((e) => e.data)).toEqual([{ levelM: 1.5 }, { levelM: 2 }]);
    expect((await store.readAll({ eventTypes: ['LevelRead'] })).map((e) => e.type)).toEqual([]);
  });
});
