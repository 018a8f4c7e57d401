/**
 * Event-store benchmark: append throughput (single and batched), catch-up subscription throughput
 * over a log of >= 200k events, and live latency (append committed → handler called).
 * Starts its own embedded PostgreSQL and stops it at the end. Last line: one JSON object.
 */
import { Pool } from 'pg';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { startEmbeddedPostgres } from '@reflux/testing';
import { PostgresEventStore } from '@reflux/event-store';

const SINGLE_APPENDS = 3000;
const SINGLE_CONCURRENCY = 8;
const ROUNDS = 3;
const BATCH_SIZE = 100;
const BATCHED_APPENDS = 400; // 40,000 events
const BATCH_CONCURRENCY = 4;
const LOG_TARGET_EVENTS = 250_000;
const FILL_BATCH = 1000;
const CATCH_UP_BATCH = 5000;
const LIVE_SAMPLES = 2000;
const LIVE_RATE_PER_S = 250;

function payload(i: number) {
  return { tag: `FT-${i % 500}`, massFlowKgPerS: 12.5 + (i % 100) / 10, temperatureK: 350 + (i % 50), quality: 'good' };
}

async function runConcurrently(total: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) await work(i);
    }),
  );
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Appends LIVE_SAMPLES single events at LIVE_RATE_PER_S; latency from append resolved to handler called. */
async function liveLatency(store: PostgresEventStore, label: string): Promise<{ p50: number; p99: number }> {
  const committedAt = new Map<string, number>();
  const calledAt = new Map<string, number>();
  const live = store.subscribe({ subscriptionId: `bench-live-${label}`, category: `live-${label}-` }, async (events) => {
    const now = performance.now();
    for (const e of events) calledAt.set(e.eventId, now);
  });
  await live.caughtUp;
  const interval = 1000 / LIVE_RATE_PER_S;
  const liveStart = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < LIVE_SAMPLES; i++) {
    const due = liveStart + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const eventId = `live-${label}-${i}`;
    pending.push(
      store.appendToStream(`live-${label}-${i % 8}`, [{ eventId, type: 'FlowMeasured', data: payload(i) }]).then(() => {
        committedAt.set(eventId, performance.now());
      }),
    );
  }
  await Promise.all(pending);
  const deadline = performance.now() + 10_000;
  while (calledAt.size < LIVE_SAMPLES && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  await live.stop();
  if (calledAt.size !== LIVE_SAMPLES) throw new Error(`live subscription (${label}) saw ${calledAt.size} of ${LIVE_SAMPLES} events`);
  // The handler may run before the appending client has processed COMMIT's reply: count that as 0.
  const latencies = [...committedAt].map(([id, at]) => Math.max(0, calledAt.get(id)! - at)).sort((a, b) => a - b);
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  console.log(`live latency (NOTIFY ${label}): p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms over ${LIVE_SAMPLES} samples at ${LIVE_RATE_PER_S}/s`);
  return { p50, p99 };
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = loadavg()[0];
  const server = await startEmbeddedPostgres();
  const pool = new Pool({ connectionString: server.url, max: 16 });
  pool.on('error', () => undefined); // idle connections end when the server stops
  const store = new PostgresEventStore({ pool });
  try {
    await store.migrate();
    const postgresVersion = (await pool.query<{ v: string }>('SHOW server_version')).rows[0].v;

    // 1. Single-event appends, each its own transaction, 8 concurrent writers on distinct streams:
    //    NOTIFY after COMMIT (the default) against pg_notify inside each transaction, alternating
    //    rounds so that both see the same machine load; a live subscriber listens throughout.
    const listener = store.subscribe({ subscriptionId: 'bench-listener', category: 'listened-' }, async () => undefined);
    await listener.caughtUp;
    const inTransactionStore = new PostgresEventStore({ pool, notify: 'in-transaction' });
    const appendRate = async (target: PostgresEventStore, round: number): Promise<number> => {
      const start = performance.now();
      await runConcurrently(SINGLE_APPENDS, SINGLE_CONCURRENCY, async (i) => {
        await target.appendToStream(`meter-${round}-${i % 64}`, [{ type: 'FlowMeasured', data: payload(i) }]);
      });
      return SINGLE_APPENDS / ((performance.now() - start) / 1000);
    };
    const afterCommitRates: number[] = [];
    const inTransactionRates: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      afterCommitRates.push(await appendRate(store, 2 * round));
      inTransactionRates.push(await appendRate(inTransactionStore, 2 * round + 1));
    }
    await inTransactionStore.close();
    await listener.stop();
    const concurrentAppendsPerSecond8 = median(afterCommitRates);
    const concurrentAppendsPerSecond8NotifyInTransaction = median(inTransactionRates);
    console.log(
      `single-event appends, ${SINGLE_CONCURRENCY} writers: NOTIFY after commit ${afterCommitRates.map((r) => r.toFixed(0)).join(', ')} events/s; ` +
        `pg_notify in the transaction ${inTransactionRates.map((r) => r.toFixed(0)).join(', ')} events/s (medians ${concurrentAppendsPerSecond8.toFixed(0)} / ${concurrentAppendsPerSecond8NotifyInTransaction.toFixed(0)})`,
    );
    let t = performance.now();

    // 2. Batches of 100 events per append.
    await runConcurrently(BATCHED_APPENDS, BATCH_CONCURRENCY, async (i) => {
      await store.appendToStream(`unit-${i % 32}`, Array.from({ length: BATCH_SIZE }, (_, k) => ({ type: 'FlowMeasured', data: payload(i * BATCH_SIZE + k) })));
    });
    const batchedAppendsPerSecond = (BATCHED_APPENDS * BATCH_SIZE) / ((performance.now() - t) / 1000);
    console.log(`batched appends (100/append): ${batchedAppendsPerSecond.toFixed(0)} events/s`);

    // 3. Fill the log, then read it from scratch with a subscription.
    let count = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM reflux_events')).rows[0].n);
    const fillBatches = Math.ceil((LOG_TARGET_EVENTS - count) / FILL_BATCH);
    await runConcurrently(fillBatches, BATCH_CONCURRENCY, async (i) => {
      await store.appendToStream(`area-${i % 50}`, Array.from({ length: FILL_BATCH }, (_, k) => ({ type: 'FlowMeasured', data: payload(k) })));
    });
    await pool.query('VACUUM ANALYZE reflux_events');
    count = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM reflux_events')).rows[0].n);
    console.log(`log filled: ${count} events`);

    let handled = 0;
    t = performance.now();
    const catchUp = store.subscribe({ subscriptionId: 'bench-catch-up', batchSize: CATCH_UP_BATCH }, async (events) => {
      handled += events.length;
    });
    await catchUp.caughtUp;
    const catchUpSeconds = (performance.now() - t) / 1000;
    await catchUp.stop();
    if (handled !== count) throw new Error(`catch-up handled ${handled} of ${count} events`);
    const catchUpEventsPerSecond = handled / catchUpSeconds;
    console.log(`catch-up: ${catchUpEventsPerSecond.toFixed(0)} events/s (${handled} events in ${catchUpSeconds.toFixed(2)} s, batch ${CATCH_UP_BATCH})`);

    // 4. Live latency: append committed (appendToStream resolved) → handler called, with NOTIFY
    //    after commit (the default) and, for comparison, pg_notify inside each append.
    const live = await liveLatency(store, 'after-commit');
    const inTransactionLive = new PostgresEventStore({ pool, notify: 'in-transaction' });
    const liveInTransaction = await liveLatency(inTransactionLive, 'in-transaction');
    await inTransactionLive.close();
    const liveLatencyP50Ms = live.p50;
    const liveLatencyP99Ms = live.p99;

    const round = (x: number, d = 0) => Number(x.toFixed(d));
    console.log(
      JSON.stringify({
        concurrentAppendsPerSecond8: round(concurrentAppendsPerSecond8),
        concurrentAppendsPerSecond8NotifyInTransaction: round(concurrentAppendsPerSecond8NotifyInTransaction),
        concurrentAppendRounds: ROUNDS,
        batchedAppendsPerSecond: round(batchedAppendsPerSecond),
        eventsPerBatchedAppend: BATCH_SIZE,
        batchedAppendConcurrency: BATCH_CONCURRENCY,
        catchUpEventsPerSecond: round(catchUpEventsPerSecond),
        catchUpBatchSize: CATCH_UP_BATCH,
        eventCount: count,
        liveLatencyP50Ms: round(liveLatencyP50Ms, 2),
        liveLatencyP99Ms: round(liveLatencyP99Ms, 2),
        liveLatencyP99MsNotifyInTransaction: round(liveInTransaction.p99, 2),
        liveSamples: LIVE_SAMPLES,
        liveRatePerSecond: LIVE_RATE_PER_S,
        postgresVersion,
        totalRuntimeSeconds: round((performance.now() - started) / 1000, 1),
        // Context: the machine is shared; 1-minute load average (2 cores) at start and end.
        loadAverage1mAtStart: round(loadAtStart, 1),
        loadAverage1mAtEnd: round(loadavg()[0], 1),
      }),
    );
  } finally {
    await store.close();
    await pool.end();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
