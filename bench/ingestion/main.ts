/**
 * Ingestion throughput and latency through the real gRPC API into a real PostgreSQL (embedded,
 * native partitioning, service-kept rollups folded every 5 s during the run, MeasurementsIngested
 * written to the PostgreSQL outbox in each batch's transaction).
 *
 * The client runs in a worker thread (load-generator.ts) over a loopback socket:
 * 1. Saturation: one WriteMeasurements stream with up to WINDOW batches in flight for SATURATE_S
 *    seconds → samplesPerSecond (acknowledged, committed samples per second).
 * 2. Fixed load: OFFERED samples/s offered open-loop for FIXED_S seconds → p50/p99 of batch sent →
 *    acknowledged (p99AckMs).
 * Then, in the same run and database: raw COPY of as many rows as phase 1 committed, same batch
 * size, one transaction per batch, into an identical partitioned table with the same
 * (tag_id, time, seq) primary key → rawCopyRowsPerSecond, and ratioToRawCopy.
 *
 * Env: BENCH_TAGS (2000), BENCH_BATCH (10000), BENCH_WINDOW (4), BENCH_POOL (4), BENCH_SATURATE_S (15),
 * BENCH_FIXED_S (15), BENCH_OFFERED (100000).
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Client as PgClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import pino from 'pino';
import { createDevelopmentToken } from '@reflux/grpc';
import { startEmbeddedPostgres } from '@reflux/testing';
import { InMemoryTagCatalog } from '../../services/ingestion/src/application/in-memory-tag-catalog';
import { startIngestionApp } from '../../services/ingestion/src/ingestion.app';
import { dayStart, partitionName } from '../../services/ingestion/src/adapters/postgres/partition-manager';
import { makeBatch, RoundClock, tagId, type LoadResult, type LoadSettings } from './workload';

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const TAGS = num('BENCH_TAGS', 2000);
const BATCH = num('BENCH_BATCH', 10_000);
const WINDOW = num('BENCH_WINDOW', 4);
const SECRET = 'bench-secret-of-at-least-thirty-two-characters!';
const DAY = 86_400_000;

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function runLoad(settings: LoadSettings): Promise<LoadResult> {
  const register = join(__dirname, '../../scripts/register.cjs');
  const generator = join(__dirname, 'load-generator.ts');
  const worker = new Worker(`require(${JSON.stringify(register)}); require(${JSON.stringify(generator)});`, { eval: true, workerData: settings });
  return new Promise((resolve, reject) => {
    worker.once('message', (r: LoadResult) => {
      resolve(r);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

async function rawCopy(url: string, rows: number, baseMs: number): Promise<number> {
  const raw = new PgClient({ connectionString: url });
  await raw.connect();
  try {
    await raw.query(`CREATE TABLE bench_raw_copy (LIKE ingestion_samples INCLUDING DEFAULTS, PRIMARY KEY (tag_id, time, seq)) PARTITION BY RANGE (time)`);
    for (let d = dayStart(baseMs) - DAY; d <= dayStart(Date.now()) + 2 * DAY; d += DAY) {
      await raw.query(
        `CREATE TABLE ${partitionName(d).replace('ingestion_samples', 'bench_raw_copy')} PARTITION OF bench_raw_copy FOR VALUES FROM ('${new Date(d).toISOString()}') TO ('${new Date(d + DAY).toISOString()}')`,
      );
    }
    const batches = Math.ceil(rows / BATCH);
    const clock = new RoundClock();
    const start = performance.now();
    for (let b = 0; b < batches; b++) {
      let text = '';
      for (const s of makeBatch({ tags: TAGS, batch: BATCH }, b * BATCH, clock)) {
        text += `${s.tagId}\t${new Date(Number(s.time.seconds) * 1000 + s.time.nanos / 1e6).toISOString()}\t${s.value}\t${s.quality}\n`;
      }
      const copy = raw.query(copyFrom('COPY bench_raw_copy (tag_id, time, value, quality) FROM STDIN'));
      await new Promise<void>((resolve, reject) => {
        copy.on('finish', resolve);
        copy.on('error', reject);
        copy.end(text);
      });
    }
    return (batches * BATCH) / ((performance.now() - start) / 1000);
  } finally {
    await raw.end();
  }
}

async function main(): Promise<void> {
  const pg = await startEmbeddedPostgres();
  const catalog = new InMemoryTagCatalog(Array.from({ length: TAGS }, (_, i) => ({ id: tagId(i), plantId: 'bench', unit: 'kg/s' })));
  const app = await startIngestionApp({
    databaseUrl: pg.url,
    databasePoolMax: num('BENCH_POOL', 4),
    grpc: { host: '127.0.0.1', port: 0, maxReceiveMessageBytes: 64 * 1024 * 1024, auth: { jwt: { hs256Secrets: [SECRET] } } },
    catalog,
    logger: pino({ level: 'warn' }),
    writer: { maxInFlightSamples: BATCH * WINDOW, maxBatchSamples: Math.max(BATCH, 50_000) },
    storage: { rollupLagS: 5 },
    // As deployed: MeasurementsIngested per batch into the PostgreSQL event log, same transaction.
    bus: { kind: 'postgres' },
    maintenanceIntervalMs: 5_000,
  });
  const settings: LoadSettings = {
    address: `127.0.0.1:${app.port}`,
    token: createDevelopmentToken(SECRET, ['ingest'], 'bench'),
    tags: TAGS,
    batch: BATCH,
    window: WINDOW,
    saturateS: num('BENCH_SATURATE_S', 15),
    fixedS: num('BENCH_FIXED_S', 15),
    offered: num('BENCH_OFFERED', 100_000),
  };
  const baseMs = Date.now();
  let result: LoadResult;
  let stored: number;
  let rawCopyRowsPerSecond: number;
  try {
    result = await runLoad(settings);
    stored = Number((await app.pool.query(`SELECT count(*) AS n FROM ingestion_samples`)).rows[0].n);
    await app.stop();
    rawCopyRowsPerSecond = await rawCopy(pg.url, result.saturatedSamples, baseMs);
  } finally {
    await app.stop().catch(() => undefined);
    await pg.stop();
  }
  const samplesPerSecond = result.saturatedSamples / result.saturatedSeconds;
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
  console.log(
    `ingestion via gRPC WriteMeasurements (client in a worker thread): ${TAGS} tags, batches of ${BATCH}, window ${WINDOW}; ` +
      `sent ${result.totalSamples}, stored ${stored}, failed or rejecting batches ${result.failedBatches}`,
  );
  console.log(
    JSON.stringify({
      path: 'grpc',
      tags: TAGS,
      batchSamples: BATCH,
      samplesPerSecond: Math.round(samplesPerSecond),
      rawCopyRowsPerSecond: Math.round(rawCopyRowsPerSecond),
      ratioToRawCopy: round(samplesPerSecond / rawCopyRowsPerSecond, 3),
      offeredSamplesPerSecond: settings.offered,
      committedAtOfferedSamplesPerSecond: Math.round(result.fixedSamples / result.fixedSeconds),
      p50AckMs: round(percentile(sorted, 50)),
      p99AckMs: round(percentile(sorted, 99)),
      maxAckMs: round(sorted[sorted.length - 1] ?? Number.NaN),
      failedBatches: result.failedBatches,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
