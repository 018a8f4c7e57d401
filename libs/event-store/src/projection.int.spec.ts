import { type Pool } from 'pg';
import { type PostgresEventStore } from './postgres-event-store';
import { defineProjection, rebuildProjection, startProjection, type ProjectionDefinition } from './projection';
import { EVENT_STORE_ERROR_CODES } from './event-store.errors';
import { useEventStoreDatabase } from './testing/event-store.fixture';

async function waitFor(what: string, predicate: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('projections', () => {
  const env = useEventStoreDatabase('event_store_projection', 10);
  let pool: Pool;
  let store: PostgresEventStore;
  beforeAll(() => ({ pool, store } = env));

  // Read model: current level and number of readings per tank.
  const tankLevels = (factor: number): ProjectionDefinition => ({
    name: 'tank-levels',
    category: 'tank-',
    init: async (tx) => {
      await tx.query('CREATE TABLE IF NOT EXISTS tank_levels (tank text PRIMARY KEY, level_m float8 NOT NULL, readings int NOT NULL)');
    },
    reset: async (tx) => {
      await tx.query('DELETE FROM tank_levels');
    },
    handlers: {
      TankLevelMeasured: async (event, tx) => {
        const { levelM } = event.data as { levelM: number };
        await tx.query(
          `INSERT INTO tank_levels VALUES ($1, $2, 1) ON CONFLICT (tank) DO UPDATE SET level_m = EXCLUDED.level_m, readings = tank_levels.readings + 1`,
          [event.streamId, levelM * factor],
        );
      },
      TankDecommissioned: async (event, tx) => {
        await tx.query('DELETE FROM tank_levels WHERE tank = $1', [event.streamId]);
      },
    },
  });

  const readModel = async () => (await pool.query('SELECT tank, level_m, readings FROM tank_levels ORDER BY tank')).rows;

  it('builds a read model live, then rebuilds it from scratch atomically while appends and the live projection continue', async () => {
    for (let t = 0; t < 4; t++) {
      await store.appendToStream(`tank-${t}`, Array.from({ length: 50 }, (_, i) => ({ type: 'TankLevelMeasured', data: { levelM: t + i / 100 } })));
    }
    await store.appendToStream('tank-3', [{ type: 'TankDecommissioned', data: {} }]);
    await store.appendToStream('pump-1', [{ type: 'TankLevelMeasured', data: { levelM: 99 } }]); // other category

    const projection = defineProjection(tankLevels(1));
    const live = await startProjection(store, projection);
    await live.caughtUp;
    expect(await readModel()).toEqual([0, 1, 2].map((t) => ({ tank: `tank-${t}`, level_m: t + 0.49, readings: 50 })));

    // Damage the read model (as a bug would), then rebuild it under the running live projection
    // while appends continue.
    await pool.query('UPDATE tank_levels SET level_m = -1, readings = 0');
    await pool.query(`INSERT INTO tank_levels VALUES ('tank-ghost', 1, 1)`);
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await store.appendToStream(`tank-${written % 3}`, [{ type: 'TankLevelMeasured', data: { levelM: 5 + written / 1000 } }]);
        written++;
      }
    })();
    await waitFor('some concurrent appends', async () => written > 20);
    const result = await rebuildProjection(store, projection, { batchSize: 17 });
    const writtenAtRebuild = written;
    await waitFor('more appends after the rebuild', async () => written > writtenAtRebuild + 20);
    writing = false;
    await writer;
    expect(result.eventsApplied).toBeGreaterThanOrEqual(221);
    await waitFor('the live projection to catch up', async () => live.position() === (await store.readAll({ category: 'tank-', maxCount: 100_000 })).at(-1)!.globalPosition);
    await live.stop();

    // Expected model from the full log, computed independently.
    const all = await store.readAll({ category: 'tank-', maxCount: 100_000 });
    const expected = new Map<string, { level_m: number; readings: number }>();
    for (const e of all) {
      if (e.type === 'TankDecommissioned') expected.delete(e.streamId);
      else expected.set(e.streamId, { level_m: (e.data as { levelM: number }).levelM, readings: (expected.get(e.streamId)?.readings ?? 0) + 1 });
    }
    expect(await readModel()).toEqual([...expected].sort(([a], [b]) => a.localeCompare(b)).map(([tank, v]) => ({ tank, ...v })));
    expect((await readModel()).every((r) => r.level_m >= 0)).toBe(true);
  });

  it('leaves the old read model and checkpoint untouched when a rebuild fails', async () => {
    const before = await readModel();
    const checkpointBefore = (await pool.query(`SELECT transaction_id::text, global_position FROM reflux_subscription_checkpoints WHERE subscription_id = 'projection:tank-levels'`)).rows;
    const broken = defineProjection({
      ...tankLevels(1),
      handlers: {
        TankLevelMeasured: async () => {
          throw new Error('bad projection code');
        },
      },
    });
    await expect(rebuildProjection(store, broken)).rejects.toThrow('bad projection code');
    expect(await readModel()).toEqual(before);
    expect((await pool.query(`SELECT transaction_id::text, global_position FROM reflux_subscription_checkpoints WHERE subscription_id = 'projection:tank-levels'`)).rows).toEqual(checkpointBefore);
  });

  it('rejects a projection definition without handlers or reset, naming the fields', () => {
    expect(() => defineProjection({ name: 'bad name!', handlers: {}, reset: undefined as never })).toThrow(
      expect.objectContaining({ code: EVENT_STORE_ERROR_CODES.INVALID_ARGUMENT, issues: [{ path: 'name', message: expect.any(String) }, { path: 'handlers', message: expect.any(String) }, { path: 'reset', message: expect.any(String) }] }),
    );
  });
});
