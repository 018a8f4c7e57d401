import { Pool } from 'pg';
import { testStorageMode } from '@reflux/testing';
import { createTestDatabase, logger } from '../test/fixture';
import { DEFAULT_STORAGE_OPTIONS, migrateIngestionSchema } from './adapters/postgres/ingestion.schema';
import { InMemoryTagCatalog } from './application/in-memory-tag-catalog';
import { startIngestionApp } from './ingestion.app';

describe('startIngestionApp with DATABASE_MIGRATE_ON_START=false', () => {
  it('refuses to start while migrations are pending, naming the migration command, and starts once they are applied', async () => {
    const db = await createTestDatabase('ingestion_app');
    const options = {
      databaseUrl: db.url,
      migrateOnStart: false,
      storage: { timescale: testStorageMode() },
      grpc: { host: '127.0.0.1', port: 0, auth: { disabled: true } },
      catalog: new InMemoryTagCatalog(),
      logger,
    };
    try {
      const pending =
        testStorageMode() === 'native'
          ? '0001_batches, 0002_native_samples, 0003_native_rollup_watermark, 0004_batch_events, 0005_native_dirty_queue, 0006_native_samples_time_brin, 0007_native_rollup_slices, 0008_batch_writers'
          : '0001_batches, 0002_timescaledb_samples, 0004_batch_events, 0008_batch_writers, 0009_timescaledb_rollup_dirty';
      await expect(startIngestionApp(options)).rejects.toThrow(`migrations pending (${pending}): run services/ingestion/src/migrate.ts`);
      const pool = new Pool({ connectionString: db.url, max: 1 });
      // What the migration job does (auto: TimescaleDB only where the test server offers it).
      expect(await migrateIngestionSchema(pool, { ...DEFAULT_STORAGE_OPTIONS, timescale: 'auto' })).toBe(testStorageMode());
      await pool.end();
      const app = await startIngestionApp(options);
      expect(app.storage.mode).toBe(testStorageMode());
      await app.stop();
    } finally {
      await db.drop();
    }
  });
});
