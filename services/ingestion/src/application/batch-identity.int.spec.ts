import { testStorageMode } from '@reflux/testing';
import { migrateIngestionSchema, DEFAULT_STORAGE_OPTIONS } from '../adapters/postgres/ingestion.schema';
import { createTestDatabase, openStack, tag, type IngestionStack } from '../../test/fixture';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const now = () => T0 + 3_600_000;
const sample = (value: number, s = 0) => ({ tagId: 'FI-1', timeMs: T0 + s * 1000, value });

describe('batch ids per writer, with a payload hash', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let stack: IngestionStack;
  beforeAll(async () => {
    db = await createTestDatabase('ingestion_batch_identity');
    stack = await openStack(db.url, [tag('FI-1', { unit: 'kg/s' })], { clock: now });
  });
  afterAll(async () => {
    await stack?.close();
    await db?.drop();
  });
  const values = async (fromS: number, toS: number) =>
    (await stack.reader.readRaw({ tagIds: ['FI-1'], fromMs: T0 + fromS * 1000, toMs: T0 + toS * 1000, pageSize: 100 })).samples.map((s) => s.value);

  it('stores the batches of two writers that share an id (two connectors both numbering batch-0001)', async () => {
    const a = await stack.writer.write({ clientBatchId: 'batch-0001', writer: 'connector-a', samples: [sample(1, 1)] });
    const b = await stack.writer.write({ clientBatchId: 'batch-0001', writer: 'connector-b', samples: [sample(2, 2)] });
    expect([a.duplicate, b.duplicate]).toEqual([false, false]);
    expect(await values(1, 3)).toEqual([1, 2]);
  });

  it('acknowledges the same writer, id and content as a duplicate, and refuses the same id with other content with a clear error, writing nothing', async () => {
    const batch = { clientBatchId: 'batch-0002', writer: 'connector-a', samples: [sample(10, 10)] };
    const first = await stack.writer.write(batch);
    expect(await stack.writer.write(batch)).toEqual({ ...first, duplicate: true });
    // A reinstalled connector whose counter restarted: same id, new data.
    await expect(stack.writer.write({ ...batch, samples: [sample(11, 11)] })).rejects.toMatchObject({
      code: 'INGESTION.BATCH_ID_CONFLICT',
      kind: 'already-exists',
      retriable: false,
      fieldViolations: [{ field: 'client_batch_id', description: expect.stringContaining('different content') }],
    });
    expect(await values(10, 12)).toEqual([10]);
  });

  it('reports the conflict per batch on a stream and goes on with the next batch', async () => {
    await stack.writer.write({ clientBatchId: 'batch-0003', writer: 'w', samples: [sample(20, 20)] });
    async function* batches() {
      yield { clientBatchId: 'batch-0003', writer: 'w', samples: [sample(21, 21)] };
      yield { clientBatchId: 'batch-0004', writer: 'w', samples: [sample(22, 22)] };
    }
    const results = [];
    for await (const r of stack.writer.writeStream(batches())) results.push(r);
    expect(results.map((r) => [r.clientBatchId, r.error?.code, r.ack?.acceptedCount])).toEqual([
      ['batch-0003', 'INGESTION.BATCH_ID_CONFLICT', undefined],
      ['batch-0004', undefined, 1],
    ]);
    expect(await values(20, 23)).toEqual([20, 22]);
  });

  it('migrates batch ids committed before writers were recorded: they keep answering for their id as duplicates until they expire', async () => {
    const legacy = await createTestDatabase('ingestion_batch_legacy');
    try {
      const old = await openStack(legacy.url, [tag('FI-1', { unit: 'kg/s' })], { clock: now });
      const ack = await old.writer.write({ clientBatchId: 'old-1', samples: [sample(5, 5)] });
      // Back to the schema before 0008: a primary key on the id alone, no writer, no hash.
      await old.pool.query(`ALTER TABLE ingestion_batches DROP CONSTRAINT ingestion_batches_pkey`);
      await old.pool.query(`ALTER TABLE ingestion_batches DROP COLUMN writer, DROP COLUMN payload_hash`);
      await old.pool.query(`ALTER TABLE ingestion_batches ADD PRIMARY KEY (client_batch_id)`);
      await old.pool.query(`DELETE FROM reflux_schema_migrations WHERE module = 'ingestion' AND id = '0008_batch_writers'`);
      await migrateIngestionSchema(old.pool, { ...DEFAULT_STORAGE_OPTIONS, timescale: testStorageMode() });
      const { rows } = await old.pool.query(`SELECT writer, payload_hash FROM ingestion_batches WHERE client_batch_id = 'old-1'`);
      expect(rows).toEqual([{ writer: '', payload_hash: null }]);
      // A retry in flight across the upgrade, now authenticated: not written twice.
      expect(await old.writer.write({ clientBatchId: 'old-1', writer: 'connector-a', samples: [sample(5, 5)] })).toEqual({ ...ack, duplicate: true });
      const fresh = await old.writer.write({ clientBatchId: 'new-1', writer: 'connector-a', samples: [sample(6, 6)] });
      expect(fresh.duplicate).toBe(false);
      await old.close();
    } finally {
      await legacy.drop();
    }
  });
});
