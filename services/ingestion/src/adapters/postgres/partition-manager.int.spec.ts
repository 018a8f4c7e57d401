import { createTestDatabase, openStack, tag, type IngestionStack } from '../../../test/fixture';
import { dayStart, partitionName } from './partition-manager';

const DAY = 86_400_000;

describe('native partitioning', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let stack: IngestionStack;
  const now = Date.now();
  beforeAll(async () => {
    db = await createTestDatabase('ingestion_partitions');
    stack = await openStack(db.url, [tag('TI-1')], { storage: { timescale: 'native', retentionDays: 10, partitionsAheadDays: 2 }, writer: { backfillHorizonS: 20 * 86_400 } });
  });
  afterAll(async () => {
    await stack?.close();
    await db?.drop();
  });

  const partitions = async () =>
    (
      await stack.pool.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'ingestion_samples'::regclass ORDER BY 1`,
      )
    ).rows.map((r) => r.name);

  it('creates daily partitions from today to the configured days ahead at start', async () => {
    const today = dayStart(now);
    expect(await partitions()).toEqual([0, 1, 2].map((i) => partitionName(today + i * DAY)));
  });

  it('creates the partition of a backfilled day on demand', async () => {
    const old = now - 15 * DAY;
    const ack = await stack.writer.write({ clientBatchId: 'backfill', samples: [{ tagId: 'TI-1', timeMs: old, value: 1 }, { tagId: 'TI-1', timeMs: now, value: 2 }] });
    expect(ack.rejected).toEqual([]);
    expect(await partitions()).toContain(partitionName(dayStart(old)));
    const { rows } = await stack.pool.query(`SELECT tableoid::regclass::text AS part FROM ingestion_samples WHERE time = $1`, [new Date(old)]);
    expect(rows[0].part).toBe(partitionName(dayStart(old)));
  });

  it('drops partitions past retention, with their samples, and keeps the rest', async () => {
    const before = await partitions();
    const result = await stack.storage.maintain(now);
    expect(result.droppedPartitions).toEqual([partitionName(dayStart(now - 15 * DAY))]);
    expect(await partitions()).toEqual(before.filter((p) => p !== partitionName(dayStart(now - 15 * DAY))));
    const { rows } = await stack.pool.query(`SELECT value FROM ingestion_samples ORDER BY time`);
    expect(rows.map((r) => r.value)).toEqual([2]);
  });

  it('lets two storage instances create the same partition concurrently', async () => {
    const other = await openStack(db.url, [tag('TI-1')], { storage: { timescale: 'native', retentionDays: 10 }, writer: { backfillHorizonS: 20 * 86_400 } });
    try {
      const t = now - 5 * DAY;
      const acks = await Promise.all([
        stack.writer.write({ clientBatchId: 'race-a', samples: [{ tagId: 'TI-1', timeMs: t, value: 1 }] }),
        other.writer.write({ clientBatchId: 'race-b', samples: [{ tagId: 'TI-1', timeMs: t + 1, value: 2 }] }),
      ]);
      expect(acks.map((a) => a.acceptedCount)).toEqual([1, 1]);
      expect((await partitions()).filter((p) => p === partitionName(dayStart(t)))).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});
