import { Client } from 'pg';
import { createTestDatabase, openStack, tag, type IngestionStack } from '../../test/fixture';
import type { SampleBatch } from '../domain/sample';

const BATCH = 2_000;
const LIMIT = 10_000;
const TOTAL_BATCHES = 60;

describe('back-pressure from a stalled database', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let stack: IngestionStack;
  beforeAll(async () => {
    db = await createTestDatabase('ingestion_backpressure');
    stack = await openStack(db.url, Array.from({ length: 100 }, (_, i) => tag(`T${i}`)), { writer: { maxInFlightSamples: LIMIT }, poolMax: 8 });
  });
  afterAll(async () => {
    await stack?.close();
    await db?.drop();
  });

  it('stops pulling from a fast producer while commits are stalled, keeps memory bounded, and loses nothing', async () => {
    const blocker = new Client({ connectionString: db.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE ingestion_batches IN EXCLUSIVE MODE');

    let produced = 0;
    const base = Date.now() - 3_600_000;
    async function* producer(): AsyncGenerator<SampleBatch> {
      for (let b = 0; b < TOTAL_BATCHES; b++) {
        produced++;
        yield {
          clientBatchId: `bp-${b}`,
          samples: Array.from({ length: BATCH }, (_, i) => ({ tagId: `T${i % 100}`, timeMs: base + b * 1000 + Math.floor(i / 100), value: Math.sin(i) })),
        };
      }
    }
    const acks: string[] = [];
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const consuming = (async () => {
      for await (const r of stack.writer.writeStream(producer())) {
        if (r.error) throw r.error;
        acks.push(r.ack!.clientBatchId);
      }
    })();

    let maxInFlight = 0;
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 50));
      maxInFlight = Math.max(maxInFlight, stack.writer.inFlightSamples);
    }
    const heapDuringStall = process.memoryUsage().heapUsed;
    // Stalled for a second: only what fits in the budget was admitted, plus the one batch waiting for it.
    expect(acks).toEqual([]);
    expect(maxInFlight).toBeLessThanOrEqual(LIMIT);
    expect(produced).toBeLessThanOrEqual(LIMIT / BATCH + 1);
    // 60 batches of 2,000 samples would be well over 30 MB as JS objects; the admitted ones are a fraction.
    expect(heapDuringStall - heapBefore).toBeLessThan(30 * 1024 * 1024);

    await blocker.query('COMMIT');
    await blocker.end();
    await consuming;
    expect(produced).toBe(TOTAL_BATCHES);
    expect(acks).toEqual(Array.from({ length: TOTAL_BATCHES }, (_, b) => `bp-${b}`));
    const { rows } = await stack.pool.query(`SELECT count(*)::int AS n FROM ingestion_samples`);
    expect(rows[0].n).toBe(TOTAL_BATCHES * BATCH);
    expect(stack.writer.inFlightSamples).toBe(0);
  });

  it('makes concurrent write() callers wait for the in-flight budget', async () => {
    const blocker = new Client({ connectionString: db.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE ingestion_batches IN EXCLUSIVE MODE');
    const base = Date.now() - 1_800_000;
    const writes = Array.from({ length: 20 }, (_, b) =>
      stack.writer.write({ clientBatchId: `w-${b}`, samples: Array.from({ length: BATCH }, (_, i) => ({ tagId: `T${i % 100}`, timeMs: base + b * 1000 + Math.floor(i / 100), value: i })) }),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(stack.writer.inFlightSamples).toBe(LIMIT);
    await blocker.query('COMMIT');
    await blocker.end();
    const acks = await Promise.all(writes);
    expect(acks.every((a) => a.acceptedCount === BATCH && !a.duplicate)).toBe(true);
  });
});
