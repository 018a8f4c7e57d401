/**
 * Ingestion throughput and latency through the real gRPC API into a real PostgreSQL (embedded,
 * native partitioning, service-kept rollups folded every 5 s with a 5 s lag and maintenance every
 * 5 s during the run, MeasurementsIngested written to the PostgreSQL outbox in each batch's
 * transaction). With BENCH_STORAGE=timescaledb: a Debian PostgreSQL 15 cluster with TimescaleDB
 * preloaded (the REFLUX_TEST_TIMESCALE server, durable here: fsync and synchronous commit on as
 * on the embedded server), the hypertable with its continuous aggregates and their refresh
 * policies, and the raw COPY baseline into an identical hypertable. BENCH_POSTGRES=debian runs
 * native partitioning on that same server (the like-for-like comparison; the default for native
 * is the embedded PostgreSQL).
 *
 * The client runs as a child process (load-generator.ts) over a loopback socket:
 * 1. Saturation: one WriteMeasurements stream with up to WINDOW batches in flight for SATURATE_S
 *    seconds → samplesPerSecond (acknowledged, committed samples per second).
 * Between the phases the service settles: the saturation phase writes faster than the rollups
 * fold, so the benchmark waits until they have folded everything it wrote (the watermark moves a
 * minute at a time) and its events are published → settleSeconds.
 * 2. Fixed load: OFFERED samples/s offered open-loop for FIXED_S seconds → p50/p99 of batch sent →
 *    acknowledged (p99AckMs): the steady state at that load, rollups and outbox included.
 * Then, in the same run and database: raw COPY of as many rows as phase 1 committed, same batch
 * size, one transaction per batch, into an identical partitioned table with the same
 * (tag_id, time, seq) primary key and BRIN index on time, in PostgreSQL's binary format as the service sends it
 * → rawCopyRowsPerSecond and ratioToRawCopy; and in text format → rawTextCopyRowsPerSecond.
 *
 * The process runs with the service's production Node.js flags (bench/ingestion/node-flags, applied
 * by scripts/bench.mjs).
 *
 * BENCH_PROFILE=1 (Debian server only: with BENCH_STORAGE=timescaledb or BENCH_POSTGRES=debian) adds
 * `saturationProfile` to the JSON: PostgreSQL's statements by total time during saturation
 * (pg_stat_statements) and the TimescaleDB jobs that ran meanwhile (profile.ts).
 *
 * Env: BENCH_STORAGE (native | timescaledb), BENCH_PROFILE (0 | 1), BENCH_POSTGRES (embedded | debian), BENCH_TAGS (2000), BENCH_BATCH (10000), BENCH_WINDOW (4), BENCH_POOL (4), BENCH_FOLD_MS (5000), BENCH_SATURATE_S (15),
 * BENCH_FIXED_S (60: long enough to include rollup folds and the machine's pauses), BENCH_OFFERED (100000).
 */
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import pino from 'pino';
import { createDevelopmentToken } from '@reflux/grpc';
import { startEmbeddedPostgres, startTimescalePostgres } from '@reflux/testing';
import { InMemoryTagCatalog } from '../../services/ingestion/src/application/in-memory-tag-catalog';
import { startIngestionApp } from '../../services/ingestion/src/ingestion.app';
import { BinaryCopyWriter, copyIn } from '../../services/ingestion/src/adapters/postgres/copy-encoding';
import { dayStart, partitionName } from '../../services/ingestion/src/adapters/postgres/partition-manager';
import { profileRequested, profileServerSettings, SaturationProfiler, type SaturationProfile } from './profile';
import { makeBatch, RoundClock, tagId, type LoadResult, type LoadSettings } from './workload';

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const TAGS = num('BENCH_TAGS', 2000);
const BATCH = num('BENCH_BATCH', 10_000);
const WINDOW = num('BENCH_WINDOW', 4);
const SECRET = 'bench-secret-of-at-least-thirty-two-characters!';
const DAY = 86_400_000;
const STORAGE = process.env['BENCH_STORAGE'] === 'timescaledb' ? 'timescaledb' : 'native';
if (!['native', 'timescaledb', undefined].includes(process.env['BENCH_STORAGE'])) throw new Error('BENCH_STORAGE must be native or timescaledb');

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** CPU time of the whole PostgreSQL cluster (postmaster, live backends, exited backends), ms. */
function postgresCpuMs(postmasterPid: number): number {
  const ticks = (stat: string[], from: number, n: number) => stat.slice(from, from + n).reduce((a, x) => a + Number(x), 0);
  const fields = (pid: string) => {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return text.slice(text.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
    } catch {
      return undefined;
    }
  };
  let total = 0;
  const own = fields(String(postmasterPid));
  if (!own) return Number.NaN;
  total += ticks(own, 11, 4); // utime, stime, cutime, cstime (fields 14–17)
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const f = fields(pid);
    if (f && Number(f[1]) === postmasterPid) total += ticks(f, 11, 2);
  }
  return (total * 1000) / CLOCK_TICKS_PER_S;
}
const CLOCK_TICKS_PER_S = 100;

interface CpuSample {
  processMs: number;
  postgresMs: number;
}

interface PhaseHooks {
  readonly saturationStart?: () => Promise<void>;
  readonly saturationEnd?: () => Promise<void>;
}

function runLoad(settings: LoadSettings, postmasterPid: number, settle: () => Promise<void>, hooks: PhaseHooks = {}): Promise<{ result: LoadResult; cpu: CpuSample }> {
  const child = fork(join(__dirname, 'load-generator.ts'), [], { execArgv: ['-r', join(__dirname, '../../scripts/register.cjs')], stdio: 'inherit' });
  const snapshot = (): CpuSample => {
    const u = process.cpuUsage();
    return { processMs: (u.user + u.system) / 1000, postgresMs: postgresCpuMs(postmasterPid) };
  };
  let start: CpuSample | undefined;
  let cpu: CpuSample = { processMs: Number.NaN, postgresMs: Number.NaN };
  return new Promise((resolve, reject) => {
    child.on('message', (m: { phase?: string; result?: LoadResult }) => {
      if (m.phase === 'saturation-start') {
        start = snapshot();
        hooks.saturationStart?.().catch(reject);
      } else if (m.phase === 'saturation-end' && start) {
        const end = snapshot();
        cpu = { processMs: end.processMs - start.processMs, postgresMs: end.postgresMs - start.postgresMs };
        (hooks.saturationEnd ?? (() => Promise.resolve()))()
          .then(settle)
          .then(() => child.send({ phase: 'fixed' }), reject);
      } else if (m.result) resolve({ result: m.result, cpu });
    });
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`the load generator exited with code ${code}`)));
    child.send(settings);
  });
}

/**
 * The baseline: COPY of the same rows (scan order, one transaction per batch) into an identical
 * table, encoded in this loop like a plain bulk loader would. `binary` is PostgreSQL's binary COPY
 * format (what the service sends), `text` its text format.
 */
async function rawCopy(url: string, rows: number, baseMs: number, format: 'binary' | 'text'): Promise<number> {
  const raw = new PgClient({ connectionString: url });
  await raw.connect();
  const table = `bench_raw_copy_${format}`;
  try {
    if (STORAGE === 'timescaledb') {
      // The service's hypertable: daily chunks, the unique (tag_id, time, seq) index.
      await raw.query(`CREATE TABLE ${table} (LIKE ingestion_samples INCLUDING DEFAULTS)`);
      await raw.query(`SELECT create_hypertable('${table}', by_range('time', INTERVAL '1 day'))`);
      await raw.query(`CREATE UNIQUE INDEX ON ${table} (tag_id, time, seq)`);
    } else {
      await raw.query(`CREATE TABLE ${table} (LIKE ingestion_samples INCLUDING DEFAULTS, PRIMARY KEY (tag_id, time, seq)) PARTITION BY RANGE (time)`);
      await raw.query(`CREATE INDEX ON ${table} USING brin (time)`);
      for (let d = dayStart(baseMs) - DAY; d <= dayStart(Date.now()) + 2 * DAY; d += DAY) {
        await raw.query(
          `CREATE TABLE ${partitionName(d).replace('ingestion_samples', table)} PARTITION OF ${table} FOR VALUES FROM ('${new Date(d).toISOString()}') TO ('${new Date(d + DAY).toISOString()}')`,
        );
      }
    }
    await raw.query('CHECKPOINT');
    const batches = Math.ceil(rows / BATCH);
    const clock = new RoundClock();
    const start = performance.now();
    for (let b = 0; b < batches; b++) {
      let payload: string | Buffer;
      if (format === 'binary') {
        const w = new BinaryCopyWriter(BATCH * 48);
        for (const s of makeBatch({ tags: TAGS, batch: BATCH }, b * BATCH, clock)) w.row(4).text(s.tagId).timestampMs(s.timeMs).float64(s.value).int32(s.quality);
        payload = w.finish();
      } else {
        payload = '';
        for (const s of makeBatch({ tags: TAGS, batch: BATCH }, b * BATCH, clock)) payload += `${s.tagId}\t${new Date(s.timeMs).toISOString()}\t${s.value}\t${s.quality}\n`;
      }
      await copyIn(raw, `COPY ${table} (tag_id, time, value, quality) FROM STDIN${format === 'binary' ? ' (FORMAT binary)' : ''}`, payload);
    }
    return (batches * BATCH) / ((performance.now() - start) / 1000);
  } finally {
    await raw.end();
  }
}

async function main(): Promise<void> {
  const debian = STORAGE === 'timescaledb' || process.env['BENCH_POSTGRES'] === 'debian';
  if (profileRequested() && !debian) throw new Error('BENCH_PROFILE=1 needs the Debian server (BENCH_STORAGE=timescaledb or BENCH_POSTGRES=debian): it preloads pg_stat_statements');
  const pg = debian ? await startTimescalePostgres({ durable: true, ...(profileRequested() && { settings: profileServerSettings(STORAGE) }) }) : await startEmbeddedPostgres();
  const catalog = new InMemoryTagCatalog(Array.from({ length: TAGS }, (_, i) => ({ id: tagId(i), plantId: 'bench', unit: 'kg/s' })));
  const app = await startIngestionApp({
    databaseUrl: pg.url,
    databasePoolMax: num('BENCH_POOL', 4),
    grpc: { host: '127.0.0.1', port: 0, maxReceiveMessageBytes: 64 * 1024 * 1024, auth: { jwt: { hs256Secrets: [SECRET], development: true } } },
    catalog,
    logger: pino({ level: 'warn' }),
    writer: { maxInFlightSamples: BATCH * WINDOW, maxBatchSamples: Math.max(BATCH, 50_000) },
    storage: { timescale: STORAGE, rollupLagS: 5 },
    // As deployed: MeasurementsIngested per batch into the PostgreSQL event log, same transaction.
    bus: { kind: 'postgres' },
    maintenanceIntervalMs: 5_000,
    rollupFoldIntervalMs: num('BENCH_FOLD_MS', 5_000),
  });
  const settings: LoadSettings = {
    address: `127.0.0.1:${app.port}`,
    token: createDevelopmentToken(SECRET, ['ingest'], 'bench'),
    tags: TAGS,
    batch: BATCH,
    window: WINDOW,
    saturateS: num('BENCH_SATURATE_S', 15),
    fixedS: num('BENCH_FIXED_S', 60),
    offered: num('BENCH_OFFERED', 100_000),
  };
  const baseMs = Date.now();
  let result: LoadResult;
  let cpu: CpuSample;
  let stored: number;
  let rawCopyRowsPerSecond: number;
  let rawTextCopyRowsPerSecond: number;
  let settleSeconds = Number.NaN;
  let profile: SaturationProfile | undefined;
  try {
    const dataDir = (await app.pool.query<{ d: string }>(`SELECT current_setting('data_directory') AS d`)).rows[0].d;
    const postmasterPid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const settle = async () => {
      const from = performance.now();
      const writtenUpTo = Date.now();
      for (;;) {
        // TimescaleDB: its refresh policy materialises in the background on its own schedule.
        const folded = STORAGE === 'timescaledb' ? 'true' : '(SELECT sliced_to >= $1 FROM ingestion_rollup_state)';
        const { rows } = await app.pool.query<{ sliced: boolean; published: boolean }>(
          `SELECT ${folded} AS sliced, NOT EXISTS (SELECT 1 FROM ingestion_batches WHERE NOT published) AS published`,
          STORAGE === 'timescaledb' ? [] : [new Date(writtenUpTo)],
        );
        if (rows[0].sliced && rows[0].published) break;
        if (performance.now() - from > 180_000) throw new Error('the service did not settle within 180 s after the saturation phase');
        await new Promise((r) => setTimeout(r, 500));
      }
      settleSeconds = (performance.now() - from) / 1000;
    };
    const profiler = profileRequested() ? new SaturationProfiler(app.pool, STORAGE === 'timescaledb') : undefined;
    const hooks: PhaseHooks = profiler ? { saturationStart: () => profiler.start(), saturationEnd: async () => void (profile = await profiler.end()) } : {};
    ({ result, cpu } = await runLoad(settings, postmasterPid, settle, hooks));
    stored = Number((await app.pool.query(`SELECT count(*) AS n FROM ingestion_samples`)).rows[0].n);
    await app.stop();
    rawCopyRowsPerSecond = await rawCopy(pg.url, result.saturatedSamples, baseMs, 'binary');
    rawTextCopyRowsPerSecond = await rawCopy(pg.url, result.saturatedSamples, baseMs, 'text');
  } finally {
    await app.stop().catch(() => undefined);
    await pg.stop();
  }
  const samplesPerSecond = result.saturatedSamples / result.saturatedSeconds;
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
  console.log(
    `ingestion via gRPC WriteMeasurements (client in its own process) into ${STORAGE === 'timescaledb' ? 'TimescaleDB' : 'native partitioning'}: ${TAGS} tags, batches of ${BATCH}, window ${WINDOW}; ` +
      `sent ${result.totalSamples}, stored ${stored}, failed or rejecting batches ${result.failedBatches}`,
  );
  console.log(
    JSON.stringify({
      path: 'grpc',
      storage: STORAGE,
      server: debian ? 'debian-postgresql' : 'embedded-postgresql',
      tags: TAGS,
      batchSamples: BATCH,
      samplesPerSecond: Math.round(samplesPerSecond),
      rawCopyRowsPerSecond: Math.round(rawCopyRowsPerSecond),
      rawTextCopyRowsPerSecond: Math.round(rawTextCopyRowsPerSecond),
      ratioToRawCopy: round(samplesPerSecond / rawCopyRowsPerSecond, 3),
      // CPU per 1,000 samples during saturation: the service (this process), the benchmark
      // client (its own process), PostgreSQL (all its processes).
      cpuMsPer1kSamples: {
        service: round((cpu.processMs / result.saturatedSamples) * 1000, 2),
        client: round((result.clientCpuMs / result.saturatedSamples) * 1000, 2),
        postgres: round((cpu.postgresMs / result.saturatedSamples) * 1000, 2),
      },
      settleSeconds: round(settleSeconds),
      offeredSamplesPerSecond: settings.offered,
      committedAtOfferedSamplesPerSecond: Math.round(result.fixedSamples / result.fixedSeconds),
      p50AckMs: round(percentile(sorted, 50)),
      p99AckMs: round(percentile(sorted, 99)),
      maxAckMs: round(sorted[sorted.length - 1] ?? Number.NaN),
      failedBatches: result.failedBatches,
      ...(profile && { saturationProfile: profile }),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
