import { testStorageMode } from '@reflux/testing';
import { PostgresEventStore } from '@reflux/event-store';
import { PostgresEventBus } from '@reflux/messaging';
import type { IntegrationEvent } from '@reflux/contracts';
import { InMemoryTagCatalog } from '../../application/in-memory-tag-catalog';
import { startIngestionApp, type IngestionApp } from '../../ingestion.app';
import { createTestDatabase, logger, tag } from '../../../test/fixture';

describe('MeasurementsIngested through the PostgreSQL outbox', () => {
  it('publishes one event per plant for each committed batch, also for concurrent batches of one plant, and nothing again for a retry', async () => {
    const db = await createTestDatabase('ingestion_outbox');
    let app: IngestionApp | undefined;
    const store = { close: async () => undefined } as { close(): Promise<void> };
    try {
      app = await startIngestionApp({
        databaseUrl: db.url,
        storage: { timescale: testStorageMode() },
        grpc: { host: '127.0.0.1', port: 0, auth: { disabled: true } },
        catalog: new InMemoryTagCatalog([tag('FI-1', { plantId: 'alpha' }), tag('FI-2', { plantId: 'beta' })]),
        logger,
        bus: { kind: 'postgres' },
      });
      const t = Date.now() - 60_000;
      const batch = {
        clientBatchId: 'ob-1',
        samples: [
          { tagId: 'FI-1', timeMs: t, value: 1 },
          { tagId: 'FI-1', timeMs: t + 1000, value: 2 },
          { tagId: 'FI-2', timeMs: t + 500, value: 3 },
          { tagId: 'FI-1', timeMs: t, value: Number.NaN },
        ],
      };
      await app.writer.write(batch);
      await app.writer.write(batch);
      const concurrent = await Promise.all(
        Array.from({ length: 10 }, (_, i) => app!.writer.write({ clientBatchId: `ob-c${i}`, samples: [{ tagId: 'FI-1', timeMs: t + 10_000 + i, value: i }] })),
      );
      expect(concurrent.every((a) => a.acceptedCount === 1)).toBe(true);

      const eventStore = new PostgresEventStore({ pool: app.pool, logger });
      store.close = () => eventStore.close();
      const bus = new PostgresEventBus({ eventStore, logger });
      const received: IntegrationEvent[] = [];
      const sub = await bus.subscribe({ group: 'test.ingested', types: ['MeasurementsIngested'], handler: async (e) => void received.push(e) });
      const deadline = Date.now() + 10_000;
      while (received.length < 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300));
      await sub.stop();
      await bus.close();
      expect(received).toHaveLength(12);
      expect(new Set(received.map((e) => (e.data as { batchId: string }).batchId)).size).toBe(11);
      const first = received.filter((e) => (e.data as { batchId: string }).batchId === 'ob-1');
      const byPlant = Object.fromEntries(first.map((e) => [(e.data as { plantId: string }).plantId, e]));
      expect(byPlant.alpha.data).toEqual({
        plantId: 'alpha',
        batchId: 'ob-1',
        tagIds: ['FI-1'],
        timeRange: { start: new Date(t).toISOString(), end: new Date(t + 1001).toISOString() },
        samplesAccepted: 2,
        samplesRejected: 1,
      });
      expect(byPlant.beta).toMatchObject({ subject: 'ingestion-beta', source: 'ingestion', data: { tagIds: ['FI-2'], samplesAccepted: 1 } });
    } finally {
      await store.close();
      await app?.stop();
      await db.drop();
    }
  });
});
