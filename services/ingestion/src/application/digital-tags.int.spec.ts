import { createTestDatabase, openStack, tag, type IngestionStack } from '../../test/fixture';
import { StatusCodes } from '../domain/quality';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const at = (s: number) => T0 + s * 1000;

describe('digital and stepped tags from the plant model, honoured in every read', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let stack: IngestionStack;
  beforeAll(async () => {
    db = await createTestDatabase('ingestion_digital');
    stack = await openStack(db.url, [tag('XV-7', { unit: '1', stepped: true, digitalStates: ['Closed', 'Open', 'Travel'] })], { clock: () => T0 + 3_600_000 });
  });
  afterAll(async () => {
    await stack?.close();
    await db?.drop();
  });

  it('accepts only state indices (and outages) for a digital tag, rejecting anything else with INVALID_STATE', async () => {
    const ack = await stack.writer.write({
      clientBatchId: 'xv',
      samples: [
        { tagId: 'XV-7', timeMs: at(0), value: 0 },
        { tagId: 'XV-7', timeMs: at(20), value: 1 },
        { tagId: 'XV-7', timeMs: at(30), value: 1.5 },
        { tagId: 'XV-7', timeMs: at(31), value: 3 },
        { tagId: 'XV-7', timeMs: at(32), value: -1 },
        { tagId: 'XV-7', timeMs: at(50), value: 2 },
        { tagId: 'XV-7', timeMs: at(55), value: Number.NaN, quality: StatusCodes.BadNoCommunication },
      ],
    });
    expect(ack.rejected.map((r) => [r.index, r.reason])).toEqual([
      [2, 'INVALID_STATE'],
      [3, 'INVALID_STATE'],
      [4, 'INVALID_STATE'],
    ]);
    expect(ack.rejected[0].detail).toContain('Closed, Open, Travel');
  });

  it('steps between states in interpolation and never averages them in aggregates', async () => {
    const values = (await stack.reader.readInterpolated({ tagIds: ['XV-7'], instantsMs: [at(10), at(25), at(52), at(58)] })).get('XV-7')!;
    expect(values.map((v) => v.value)).toEqual([0, 1, 2, undefined]);
    const [bucket] = (await stack.reader.readAggregates({ tagIds: ['XV-7'], fromMs: T0, toMs: at(60), bucketS: 60, functions: ['avg', 'twa', 'min', 'max', 'last', 'coverage'] })).get('XV-7')!;
    expect(bucket).toMatchObject({ count: 4, min: 0, max: 2, last: 2, coverage: 55 / 60 });
    expect(bucket.avg).toBeUndefined();
    expect(bucket.twa).toBeUndefined();
  });
});
