import { createTestDatabase, openStack, tag, type IngestionStack } from '../../test/fixture';
import { StatusCodes } from '../domain/quality';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const now = () => T0 + 3_600_000;

describe('MeasurementWriter on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let stack: IngestionStack;
  beforeAll(async () => {
    db = await createTestDatabase('ingestion_writer');
    stack = await openStack(db.url, [tag('TI-100'), tag('PI-200', { unit: 'bar' }), tag('FIC-300', { unit: 'kg/s' })], {
      clock: now,
      writer: { maxFutureSkewS: 60, backfillHorizonS: 7 * 86_400 },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await db?.drop();
  });

  it('rejects each invalid sample with its reason and stores the rest', async () => {
    const ack = await stack.writer.write({
      clientBatchId: 'b-reasons',
      samples: [
        { tagId: 'TI-100', timeMs: T0, value: 80.5 },
        { tagId: 'NOPE-1', timeMs: T0, value: 1 },
        { tagId: 'TI-100', timeMs: T0 + 1000, value: Number.NaN },
        { tagId: 'TI-100', timeMs: T0 + 2000, value: Number.POSITIVE_INFINITY },
        { tagId: 'TI-100', timeMs: now() + 61_000, value: 1 },
        { tagId: 'TI-100', timeMs: now() - 8 * 86_400_000, value: 1 },
        { tagId: 'PI-200', timeMs: T0, value: 2, unit: 'kg' },
        { tagId: 'PI-200', timeMs: T0, value: 250, unit: 'kPa' },
        { tagId: 'TI-100', timeMs: T0 + 3000, value: 1, quality: 0xc0000000 },
        { tagId: 'TI-100', timeMs: Number.NaN, value: 1 },
      ],
    });
    expect(ack.acceptedCount).toBe(2);
    expect(ack.rejected.map((r) => [r.index, r.reason])).toEqual([
      [1, 'UNKNOWN_TAG'],
      [2, 'NON_FINITE_VALUE'],
      [3, 'NON_FINITE_VALUE'],
      [4, 'TIMESTAMP_IN_FUTURE'],
      [5, 'TIMESTAMP_BEYOND_BACKFILL_HORIZON'],
      [6, 'UNIT_MISMATCH'],
      [8, 'INVALID_QUALITY'],
      [9, 'INVALID_TIMESTAMP'],
    ]);
    const { samples } = await stack.reader.readRaw({ tagIds: ['TI-100', 'PI-200'], fromMs: T0 - 1, toMs: T0 + 10_000, pageSize: 100 });
    expect(samples.map((s) => [s.tagId, s.value])).toEqual([
      ['PI-200', 2.5],
      ['TI-100', 80.5],
    ]);
  });

  it('refuses a batch without id or samples with field-level detail', async () => {
    await expect(stack.writer.write({ clientBatchId: '', samples: [] })).rejects.toMatchObject({
      code: 'INGESTION.INVALID_REQUEST',
      fieldViolations: [
        { field: 'client_batch_id', description: expect.any(String) },
        { field: 'samples', description: expect.any(String) },
      ],
    });
  });

  it('acknowledges a retried batch again without writing twice, also from a restarted service', async () => {
    const batch = { clientBatchId: 'b-retry', samples: [{ tagId: 'FIC-300', timeMs: T0, value: 10 }, { tagId: 'NOPE', timeMs: T0, value: 1 }] };
    const first = await stack.writer.write(batch);
    const again = await stack.writer.write({ ...batch });
    const restarted = await openStack(db.url, [tag('FIC-300', { unit: 'kg/s' })], { clock: now });
    try {
      const afterRestart = await restarted.writer.write(batch);
      expect(first.duplicate).toBe(false);
      for (const ack of [again, afterRestart]) {
        expect(ack).toEqual({ ...first, duplicate: true });
      }
      const { samples } = await restarted.reader.readRaw({ tagIds: ['FIC-300'], fromMs: T0, toMs: T0 + 1, pageSize: 10 });
      expect(samples.map((s) => s.value)).toEqual([10]);
    } finally {
      await restarted.close();
    }
  });

  it('commits one of two concurrent writes of the same batch id and replays its ack to the other', async () => {
    const batch = { clientBatchId: 'b-race', samples: [{ tagId: 'FIC-300', timeMs: T0 + 5000, value: 1 }] };
    const acks = await Promise.all([stack.writer.write(batch), stack.writer.write(batch), stack.writer.write(batch)]);
    expect(acks.filter((a) => !a.duplicate)).toHaveLength(1);
    const { rows } = await stack.pool.query(`SELECT count(*)::int AS n FROM ingestion_samples WHERE tag_id = 'FIC-300' AND time = $1`, [new Date(T0 + 5000)]);
    expect(rows[0].n).toBe(1);
  });

  it('accepts out-of-order and backfilled samples within the horizon and reads them in time order', async () => {
    const id = 'TI-OOO';
    stack.catalog.put(tag(id));
    await stack.writer.write({ clientBatchId: 'ooo-1', samples: [{ tagId: id, timeMs: T0 + 30_000, value: 3 }] });
    await stack.writer.write({ clientBatchId: 'ooo-2', samples: [{ tagId: id, timeMs: T0 + 10_000, value: 1 }, { tagId: id, timeMs: T0 + 20_000, value: 2 }] });
    const backfill = now() - 6 * 86_400_000;
    const ack = await stack.writer.write({ clientBatchId: 'ooo-3', samples: [{ tagId: id, timeMs: backfill, value: -1 }] });
    expect(ack.rejected).toEqual([]);
    const { samples } = await stack.reader.readRaw({ tagIds: [id], fromMs: backfill, toMs: T0 + 60_000, pageSize: 10 });
    expect(samples.map((s) => s.value)).toEqual([-1, 1, 2, 3]);
    const [latest] = await stack.reader.getLatest([id]);
    expect(latest).toMatchObject({ timeMs: T0 + 30_000, value: 3 });
  });

  it.each([
    ['replace', [7]],
    ['keep-first', [5]],
    ['keep-both', [5, 6, 7]],
  ] as const)('applies the %s policy to samples sharing tag and timestamp, within and across batches', async (policy, expected) => {
    const id = `TI-DUP-${policy}`;
    stack.catalog.put(tag(id, { duplicatePolicy: policy }));
    await stack.writer.write({ clientBatchId: `${id}-1`, samples: [{ tagId: id, timeMs: T0, value: 5 }] });
    await stack.writer.write({ clientBatchId: `${id}-2`, samples: [{ tagId: id, timeMs: T0, value: 6 }, { tagId: id, timeMs: T0, value: 7 }] });
    const { samples } = await stack.reader.readRaw({ tagIds: [id], fromMs: T0, toMs: T0 + 1, pageSize: 10 });
    expect(samples.map((s) => s.value)).toEqual(expected);
  });

  it('stores only exceptions beyond the deadband, plus the held sample before each, for a tag with a deadband', async () => {
    const id = 'TI-EXC';
    stack.catalog.put(tag(id, { deadband: 0.5, exceptionMaxS: 3600 }));
    const values = [10, 10.1, 10.2, 10.3, 12, 12.1, 12.2];
    const ack = await stack.writer.write({ clientBatchId: 'exc-1', samples: values.map((value, i) => ({ tagId: id, timeMs: T0 + i * 1000, value })) });
    // 10 passes; 10.1–10.3 are held; 12 passes and brings the held 10.3; 12.1 and 12.2 are held.
    expect(ack).toMatchObject({ acceptedCount: 7, filteredCount: 4 });
    const { samples } = await stack.reader.readRaw({ tagIds: [id], fromMs: T0, toMs: T0 + 60_000, pageSize: 10 });
    expect(samples.map((s) => s.value)).toEqual([10, 10.3, 12]);
  });

  it('keeps the quality code of each sample', async () => {
    const id = 'TI-Q';
    stack.catalog.put(tag(id));
    await stack.writer.write({ clientBatchId: 'q-1', samples: [{ tagId: id, timeMs: T0, value: 1, quality: StatusCodes.BadSensorFailure }] });
    const { samples } = await stack.reader.readRaw({ tagIds: [id], fromMs: T0, toMs: T0 + 1, pageSize: 10 });
    expect(samples[0].quality).toBe(StatusCodes.BadSensorFailure);
  });
});
