import { type Pool } from 'pg';
import { PostgresEventStore } from './postgres-event-store';
import { EVENT_STORE_ERROR_CODES, WrongExpectedVersionError, type EventStoreError } from './event-store.errors';
import { defineUpcaster, UpcasterRegistry } from './upcaster.registry';
import type { NewEvent } from './event-store.port';
import { useEventStoreDatabase } from './testing/event-store.fixture';

const levelMeasured = (levelM: number, eventId?: string): NewEvent => ({ eventId, type: 'TankLevelMeasured', data: { levelM } });

describe('PostgresEventStore', () => {
  const env = useEventStoreDatabase('event_store');
  let pool: Pool;
  let store: PostgresEventStore;
  beforeAll(() => ({ pool, store } = env));

  describe('appending', () => {
    it('stores every field of an event and numbers stream versions from 0', async () => {
      const result = await store.appendToStream('tank-T1', [
        { type: 'TankCommissioned', data: { capacityM3: 500 }, metadata: { correlationId: 'c-1', causationId: 'cmd-1', traceparent: '00-abc-def-01', actor: 'engineer-3' } },
        levelMeasured(2.5),
      ], { expectedVersion: 'no_stream' });
      expect(result).toMatchObject({ nextExpectedVersion: 1, idempotentReplay: false });
      const events = await store.readStream('tank-T1');
      expect(events).toHaveLength(2);
      const [first, second] = events;
      expect(first).toMatchObject({
        streamId: 'tank-T1',
        streamVersion: 0,
        type: 'TankCommissioned',
        schemaVersion: 1,
        data: { capacityM3: 500 },
        metadata: { correlationId: 'c-1', causationId: 'cmd-1', traceparent: '00-abc-def-01', actor: 'engineer-3' },
      });
      expect(first.eventId).toMatch(/^[0-9a-f-]{36}$/);
      expect(first.recordedAt).toBeInstanceOf(Date);
      expect(Math.abs(first.recordedAt.getTime() - Date.now())).toBeLessThan(60_000);
      expect(second.streamVersion).toBe(1);
      expect(second.globalPosition).toBe(result.lastGlobalPosition);
      expect(second.globalPosition).toBeGreaterThan(first.globalPosition);
    });

    it('rejects a stale writer with WRONG_EXPECTED_VERSION carrying expected and actual, and writes nothing', async () => {
      await store.appendToStream('tank-T2', [levelMeasured(1)], { expectedVersion: 'no_stream' });
      await store.appendToStream('tank-T2', [levelMeasured(2)], { expectedVersion: 0 });
      const stale = store.appendToStream('tank-T2', [levelMeasured(3), levelMeasured(4)], { expectedVersion: 0 });
      await expect(stale).rejects.toBeInstanceOf(WrongExpectedVersionError);
      await expect(stale).rejects.toMatchObject({ code: EVENT_STORE_ERROR_CODES.WRONG_EXPECTED_VERSION, retriable: true, expected: 0, actual: 1 });
      await expect(store.appendToStream('tank-T2', [levelMeasured(5)], { expectedVersion: 'no_stream' })).rejects.toMatchObject({ expected: 'no_stream', actual: 1 });
      await expect(store.appendToStream('tank-missing', [levelMeasured(5)], { expectedVersion: 'stream_exists' })).rejects.toMatchObject({ actual: -1 });
      expect((await store.readStream('tank-T2')).map((e) => e.data)).toEqual([{ levelM: 1 }, { levelM: 2 }]);
      expect(await store.readStream('tank-missing')).toEqual([]);
    });

    it('lets exactly one of many concurrent writers with the same expected version win', async () => {
      await store.appendToStream('tank-race', [levelMeasured(0)]);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => store.appendToStream('tank-race', [levelMeasured(i + 1), levelMeasured(i + 1.5)], { expectedVersion: 0 })),
      );
      // Compared as one array so that a failure shows every outcome.
      const summary = outcomes.map((o) => (o.status === 'fulfilled' ? 'won' : `${(o.reason as EventStoreError).code} actual=${(o.reason as { actual?: number }).actual} ${o.reason.message}`));
      expect(summary.filter((s) => s !== 'won')).toEqual(Array.from({ length: 9 }, () => `${EVENT_STORE_ERROR_CODES.WRONG_EXPECTED_VERSION} actual=2 stream tank-race: expected version 0, actual 2`));
      expect((await store.readStream('tank-race')).map((e) => e.streamVersion)).toEqual([0, 1, 2]);
    });

    it('serialises concurrent writers expecting any version without gaps or duplicates in the stream', async () => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.appendToStream('tank-any', [levelMeasured(i)], { expectedVersion: 'any' })));
      const events = await store.readStream('tank-any');
      expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });

    it('treats a retried batch with the same event ids as one append and reports idempotentReplay', async () => {
      const batch = [levelMeasured(1, 'idem-1'), levelMeasured(2, 'idem-2')];
      const first = await store.appendToStream('tank-idem', batch, { expectedVersion: 'no_stream' });
      const retry = await store.appendToStream('tank-idem', batch, { expectedVersion: 'no_stream' });
      expect(first.idempotentReplay).toBe(false);
      expect(retry).toEqual({ nextExpectedVersion: first.nextExpectedVersion, lastGlobalPosition: first.lastGlobalPosition, idempotentReplay: true });
      // Also once the stream has moved on.
      await store.appendToStream('tank-idem', [levelMeasured(3)]);
      await expect(store.appendToStream('tank-idem', batch)).resolves.toMatchObject({ idempotentReplay: true, nextExpectedVersion: 1 });
      expect(await store.readStream('tank-idem')).toHaveLength(3);
    });

    it('stores an event id once when the same append races with itself', async () => {
      const batch = [levelMeasured(7, 'race-1'), levelMeasured(8, 'race-2')];
      const results = await Promise.all(Array.from({ length: 6 }, () => store.appendToStream('tank-idem-race', batch)));
      expect(results.filter((r) => !r.idempotentReplay)).toHaveLength(1);
      expect(await store.readStream('tank-idem-race')).toHaveLength(2);
    });

    it('refuses an event id reused for another stream or other content, and a partly stored batch', async () => {
      await store.appendToStream('tank-A', [levelMeasured(1, 'unique-1')]);
      await expect(store.appendToStream('tank-B', [levelMeasured(1, 'unique-1')])).rejects.toMatchObject({
        code: EVENT_STORE_ERROR_CODES.EVENT_ID_CONFLICT,
        retriable: false,
        details: { conflicts: [{ eventId: 'unique-1', storedInStream: 'tank-A' }] },
      });
      await expect(store.appendToStream('tank-A', [levelMeasured(99, 'unique-1')])).rejects.toMatchObject({ code: EVENT_STORE_ERROR_CODES.EVENT_ID_CONFLICT });
      await expect(store.appendToStream('tank-A', [levelMeasured(1, 'unique-1'), levelMeasured(2, 'unique-2')])).rejects.toMatchObject({
        code: EVENT_STORE_ERROR_CODES.PARTIAL_DUPLICATE_BATCH,
        details: { storedEventIds: ['unique-1'], newEventIds: ['unique-2'] },
      });
      expect(await store.readStream('tank-B')).toEqual([]);
      expect(await store.readStream('tank-A')).toHaveLength(1);
    });

    it('names every invalid field of a bad append and writes nothing', async () => {
      const bad = store.appendToStream('tank-bad', [
        { type: '', data: {} },
        { type: 'X', data: { s: 'a\u0000b' }, schemaVersion: 0 },
        { type: 'Y', data: undefined, eventId: 'dup' },
        { type: 'Z', data: 1, eventId: 'dup' },
      ], { expectedVersion: -7 });
      await expect(bad).rejects.toMatchObject({ code: EVENT_STORE_ERROR_CODES.INVALID_ARGUMENT, retriable: false });
      const error = (await bad.catch((e: unknown) => e)) as EventStoreError & { issues: { path: string }[] };
      expect(error.issues.map((i) => i.path)).toEqual([
        'options.expectedVersion',
        'events[0].type',
        'events[1].schemaVersion',
        'events[1].data',
        'events[2].data',
        'events[3].eventId',
      ]);
      await expect(store.appendToStream('', [levelMeasured(1)])).rejects.toMatchObject({ issues: [{ path: 'streamId' }] });
      await expect(store.appendToStream('tank-bad', [])).rejects.toMatchObject({ issues: [{ path: 'events' }] });
      expect(await store.readStream('tank-bad')).toEqual([]);
    });

    it('appends inside a transaction the caller holds and discards the events on rollback', async () => {
      await expect(store.withTransaction(async (tx) => {
        await store.appendToStream('tank-tx', [levelMeasured(1)], { transaction: tx });
        await tx.query('SELECT 1');
        throw new Error('business rule failed after append');
      })).rejects.toThrow('business rule failed');
      expect(await store.readStream('tank-tx')).toEqual([]);
      await store.withTransaction((tx) => store.appendToStream('tank-tx', [levelMeasured(2)], { transaction: tx, expectedVersion: 'no_stream' }));
      expect((await store.readStream('tank-tx')).map((e) => e.data)).toEqual([{ levelM: 2 }]);
    });

    it('refuses an append in a caller transaction older than the stream\'s last writer, so subscriptions keep stream order', async () => {
      await store.appendToStream('tank-order', [levelMeasured(1)]);
      const early = await pool.connect();
      try {
        await early.query('BEGIN');
        await early.query('SELECT pg_current_xact_id()'); // takes its transaction id now
        await store.appendToStream('tank-order', [levelMeasured(2)]); // a later transaction commits first
        await expect(store.appendToStream('tank-order', [levelMeasured(3)], { transaction: early })).rejects.toMatchObject({
          code: EVENT_STORE_ERROR_CODES.TRANSACTION_ORDER_CONFLICT,
          retriable: true,
        });
      } finally {
        await early.query('ROLLBACK');
        early.release();
      }
      expect((await store.readStream('tank-order')).map((e) => e.data)).toEqual([{ levelM: 1 }, { levelM: 2 }]);
    });
  });

  describe('reading', () => {
    beforeAll(async () => {
      await store.appendToStream('reactor-R1', Array.from({ length: 10 }, (_, i) => ({ type: i % 2 ? 'TemperatureMeasured' : 'PressureMeasured', data: { i } })));
      await store.appendToStream('alarm-PT101', [{ type: 'AlarmRaised', data: { tag: 'PT-101' } }]);
      await store.appendToStream('alarm-TT205', [{ type: 'AlarmRaised', data: { tag: 'TT-205' } }, { type: 'AlarmAcknowledged', data: { by: 'op' } }]);
      await store.appendToStream('alarms_archive-1', [{ type: 'AlarmRaised', data: { tag: 'X' } }]);
      await store.appendToStream('alarm%-weird', [{ type: 'AlarmRaised', data: { tag: 'Y' } }]);
    });

    it('reads a stream backwards from the end or from a version, with a maximum count', async () => {
      expect((await store.readStream('reactor-R1', { direction: 'backwards' })).map((e) => e.streamVersion)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
      expect((await store.readStream('reactor-R1', { direction: 'backwards', fromVersion: 6, maxCount: 3 })).map((e) => e.streamVersion)).toEqual([6, 5, 4]);
      expect((await store.readStream('reactor-R1', { direction: 'backwards', maxCount: 1 }))[0].data).toEqual({ i: 9 });
    });

    it('reads a stream forwards from a version, with a maximum count', async () => {
      expect((await store.readStream('reactor-R1', { fromVersion: 7 })).map((e) => e.streamVersion)).toEqual([7, 8, 9]);
      expect((await store.readStream('reactor-R1', { fromVersion: 2, maxCount: 2 })).map((e) => e.streamVersion)).toEqual([2, 3]);
      await expect(store.readStream('reactor-R1', { fromVersion: -1 })).rejects.toMatchObject({ code: EVENT_STORE_ERROR_CODES.INVALID_ARGUMENT });
    });

    it('reads a category by stream-id prefix, treating % and _ literally', async () => {
      const alarms = await store.readAll({ category: 'alarm-' });
      expect(alarms.map((e) => e.streamId)).toEqual(['alarm-PT101', 'alarm-TT205', 'alarm-TT205']);
      expect((await store.readAll({ category: 'alarm%' })).map((e) => e.streamId)).toEqual(['alarm%-weird']);
      expect((await store.readAll({ category: 'alarm-', eventTypes: ['AlarmAcknowledged'] })).map((e) => e.data)).toEqual([{ by: 'op' }]);
    });

    it('reads the global log in position order after a position, filtered by event types', async () => {
      const all = await store.readAll({ maxCount: 100_000 });
      const positions = all.map((e) => e.globalPosition);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      const after = all[all.length - 5].globalPosition;
      expect((await store.readAll({ after })).map((e) => e.globalPosition)).toEqual(positions.slice(-4));
      const temps = await store.readAll({ eventTypes: ['TemperatureMeasured'] });
      expect(temps.map((e) => (e.data as { i: number }).i)).toEqual([1, 3, 5, 7, 9]);
      expect(await store.readAll({ maxCount: 2 })).toHaveLength(2);
    });
  });

  describe('upcasting', () => {
    it('reads old schema versions through a chain of pure upcasters, leaving current ones alone', async () => {
      await store.appendToStream('flow-F1', [
        { type: 'FlowMeasured', schemaVersion: 1, data: { flowM3PerH: 36 } },
        { type: 'FlowMeasured', schemaVersion: 2, data: { flowM3PerS: 0.02 } },
        { type: 'FlowMeasured', schemaVersion: 3, data: { volumeFlowM3PerS: 0.03, quality: 'good' } },
      ]);
      const upcasters = new UpcasterRegistry([
        defineUpcaster<{ flowM3PerH: number }, { flowM3PerS: number }>('FlowMeasured', 1, (d) => ({ flowM3PerS: d.flowM3PerH / 3600 })),
        defineUpcaster<{ flowM3PerS: number }, { volumeFlowM3PerS: number; quality: string }>('FlowMeasured', 2, (d) => ({ volumeFlowM3PerS: d.flowM3PerS, quality: 'unknown' })),
      ]);
      const reading = new PostgresEventStore({ pool, upcasters });
      const events = await reading.readStream('flow-F1');
      expect(events.map((e) => [e.schemaVersion, e.data])).toEqual([
        [3, { volumeFlowM3PerS: 0.01, quality: 'unknown' }],
        [3, { volumeFlowM3PerS: 0.02, quality: 'unknown' }],
        [3, { volumeFlowM3PerS: 0.03, quality: 'good' }],
      ]);
      expect(events[0].streamVersion).toBe(0);
      expect((await reading.readAll({ category: 'flow-' }))[0].data).toEqual({ volumeFlowM3PerS: 0.01, quality: 'unknown' });
      // Stored data is untouched.
      expect((await store.readStream('flow-F1'))[0]).toMatchObject({ schemaVersion: 1, data: { flowM3PerH: 36 } });
      await reading.close();
    });

    it('names the event when an upcaster throws', async () => {
      await store.appendToStream('flow-F2', [{ type: 'FlowMeasured', schemaVersion: 1, data: {} }]);
      const reading = new PostgresEventStore({
        pool,
        upcasters: [{ type: 'FlowMeasured', fromSchemaVersion: 1, upcast: () => { throw new Error('flowM3PerH missing'); } }],
      });
      await expect(reading.readStream('flow-F2')).rejects.toMatchObject({ code: EVENT_STORE_ERROR_CODES.UPCAST_FAILED, message: expect.stringContaining('flowM3PerH missing') });
      await reading.close();
    });
  });
});
