/**
 * Control-room gateway benchmark. Starts an embedded PostgreSQL and the gateway as its own process
 * (services/control-room-gateway/src/main.ts), then:
 *  1. fan-out: CLIENTS concurrent SSE clients on loopback, spread over CLIENT_PROCESSES child
 *     processes (sse-clients.ts) so that parsing them does not share the gateway's or the writer's
 *     event loop, while this process appends RATE_PER_S events. Latency = wall clock at the client
 *     (`performance.timeOrigin + performance.now()`, comparable across processes on one machine)
 *     minus the writer's wall clock when it called append; p50/p99 over every (event, client) pair.
 *     Stages, per event: the append's commit; the bus wake-up (a read-only log tail in this process,
 *     the gateway's mechanism, sees the event); the gateway's first and last connection (two probe
 *     clients here, opened before and after all the others: the gateway serves connections in
 *     the order they opened).
 *  2. stalled clients: STALLED clients that stop reading while events keep coming for STALL_S; the
 *     gateway's heap (nodejs_heap_size_used_bytes from its METRICS_PORT) before and after.
 * Last line: one JSON object.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request, type IncomingMessage } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { headCheckpoint, PostgresEventStore } from '@reflux/event-store';
import { createDevelopmentToken } from '@reflux/grpc';
import { freePort, startEmbeddedPostgres } from '@reflux/testing';
import { ORDER_HASH_START, orderHash, type ClientSettings, type ClientsReport } from './sse-clients.protocol';

const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 1000);
const CLIENT_PROCESSES = Number(process.env['BENCH_CLIENT_PROCESSES'] ?? 2);
/** Demo rate: the simulator's MeasurementsIngested plus balancing and safety events is a few per second; 20/s leaves headroom. */
const RATE_PER_S = Number(process.env['BENCH_RATE_PER_S'] ?? 20);
const FANOUT_S = Number(process.env['BENCH_FANOUT_S'] ?? 30);
/** Appends under way at once at most (the writer's pool size). */
const MAX_IN_FLIGHT = 4;
const STALLED = 100;
const STALL_S = Number(process.env['BENCH_STALL_S'] ?? 60);
/** Extra Node.js flags of the gateway process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/gw` to see where its time goes. */
const GATEWAY_NODE_FLAGS = (process.env['BENCH_GATEWAY_NODE_FLAGS'] ?? '').split(/\s+/).filter((f) => f.startsWith('--'));
const SECRET = 'control-room-bench-secret-0123456789abcdef';
const root = join(__dirname, '..', '..');
const register = join(root, 'scripts', 'register.cjs');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const wallClockMs = (): number => performance.timeOrigin + performance.now();
const round1 = (x: number) => Math.round(x * 10) / 10;

/** One gauge of the gateway's Prometheus metrics. */
async function gatewayMetric(metricsPort: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return Number(line?.slice(line.lastIndexOf(' ') + 1));
}

const heapUsedMB = async (metricsPort: number) => (await gatewayMetric(metricsPort, 'nodejs_heap_size_used_bytes')) / 2 ** 20;
/** p99 of the gateway's event-loop delay since the previous scrape (prom-client resets it on each). */
const eventLoopDelayP99Ms = async (metricsPort: number) => (await gatewayMetric(metricsPort, 'nodejs_eventloop_lag_p99_seconds')) * 1000;

/** Median of a few samples, to look past collection timing. */
async function steadyHeapMB(metricsPort: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 7; i++) {
    samples.push(await heapUsedMB(metricsPort));
    await sleep(500);
  }
  return samples.sort((a, b) => a - b)[3];
}

/** CPU time (user + system) of a process, ms, from /proc (Linux). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** p-quantiles (ms, one decimal) of the finite values. */
function quantiles(values: Float64Array | number[], ...qs: number[]): number[] {
  const v = Float64Array.from(values).filter(Number.isFinite).sort();
  return qs.map((q) => (v.length === 0 ? Number.NaN : round1(v[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))])));
}

function openClient(url: string, token: string, agent: Agent, onEvent: (data: string) => void): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) onEvent(data.slice(6));
        }
      });
      resolve(res);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Forks one client process and waits until its clients are connected. */
function startClients(settings: ClientSettings): Promise<ChildProcess> {
  const child = fork(join(__dirname, 'sse-clients.ts'), [], { execArgv: ['-r', register], stdio: 'inherit', serialization: 'advanced' });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`an SSE client process exited with code ${code}`)));
    child.send(settings);
  });
}

function collect(child: ChildProcess): Promise<ClientsReport> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('message', (report: ClientsReport) => resolve(report));
    child.send({ collect: true });
  });
}

async function main(): Promise<void> {
  const pg = await startEmbeddedPostgres();
  const pool = new Pool({ connectionString: pg.url, max: MAX_IN_FLIGHT + 1 });
  const store = new PostgresEventStore({ pool });
  await store.migrate();
  const httpPort = await freePort();
  const metricsPort = await freePort();
  const gateway = spawn(process.execPath, [...GATEWAY_NODE_FLAGS, '-r', register, join(root, 'services', 'control-room-gateway', 'src', 'main.ts')], {
    env: { ...process.env, SERVICE_NAME: 'control-room-gateway', DATABASE_URL: pg.url, HTTP_PORT: String(httpPort), METRICS_PORT: String(metricsPort), AUTH_JWT_SECRET: SECRET, AUTH_JWT_DEVELOPMENT: 'true', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${httpPort}`;
  for (let i = 0; ; i++) {
    if (i > 240) throw new Error('gateway did not become ready');
    if (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) break;
    await sleep(250);
  }
  const token = createDevelopmentToken(SECRET, ['viewer'], 'bench');
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  let seq = 0;
  const publish = (extra: Record<string, unknown> = {}) =>
    store.appendToStream(`integration-bench-${seq % 8}`, [
      {
        eventId: randomUUID(),
        type: 'LossSuspected',
        data: { plantId: 'bench', unitId: `U-${seq % 40}`, seq: seq++, ...extra },
        metadata: { topic: 'reflux.balancing', source: 'bench', subject: 'bench', occurredAt: new Date().toISOString(), correlationId: randomUUID() },
      },
    ]);

  // 1. fan-out
  const events = RATE_PER_S * FANOUT_S;
  const appendedAtMs = new Float64Array(events).fill(Number.NaN);
  const committedAtMs = new Float64Array(events).fill(Number.NaN);
  const busAtMs = new Float64Array(events).fill(Number.NaN);
  let probeOrder = ORDER_HASH_START;
  const stamp = (into: Float64Array) => (data: string) => {
    const s = (JSON.parse(data) as { data: { seq?: number } }).data.seq;
    if (s === undefined || s >= events) return;
    into[s] = wallClockMs();
    if (into === firstProbeAtMs) probeOrder = orderHash(probeOrder, s);
  };
  const url = `${base}/v1/events?types=LossSuspected`;
  const firstProbeAtMs = new Float64Array(events).fill(Number.NaN);
  const lastProbeAtMs = new Float64Array(events).fill(Number.NaN);
  const probes = [await openClient(url, token, agent, stamp(firstProbeAtMs))];
  const perProcess = Math.ceil(CLIENTS / CLIENT_PROCESSES);
  const children: ChildProcess[] = [];
  for (let i = 0; i < CLIENTS; i += perProcess) children.push(await startClients({ url, token, clients: Math.min(perProcess, CLIENTS - i), events }));
  probes.push(await openClient(url, token, agent, stamp(lastProbeAtMs)));
  const bus = store.tail({ from: await headCheckpoint(pool), eventTypes: ['LossSuspected'] }, (recorded) => {
    const now = wallClockMs();
    for (const e of recorded) {
      const s = (e.data as { seq?: number }).seq;
      if (s !== undefined && s < events) busAtMs[s] = now;
    }
  });
  await sleep(500);

  await eventLoopDelayP99Ms(metricsPort);
  const gatewayCpuBeforeMs = processCpuMs(gateway.pid!);
  const t0 = performance.now();
  // Open loop: each event is appended when it is due, whether or not the previous ones have
  // committed (as services append independently), at most MAX_IN_FLIGHT at once.
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < events; i++) {
    const due = t0 + (i * 1000) / RATE_PER_S;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    appendedAtMs[i] = wallClockMs();
    const append: Promise<void> = publish().then(() => {
      committedAtMs[i] = wallClockMs();
      inFlight.delete(append);
    });
    inFlight.add(append);
  }
  await Promise.all(inFlight);
  const publishedS = (performance.now() - t0) / 1000;
  // Wait for the last probe (served after every other client) to have everything, then a margin.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !lastProbeAtMs.every((x) => !Number.isNaN(x))) await sleep(50);
  await sleep(2000);
  const gatewayCpuMs = processCpuMs(gateway.pid!) - gatewayCpuBeforeMs;
  const cpuWindowS = (performance.now() - t0) / 1000;
  const loopDelayP99Ms = await eventLoopDelayP99Ms(metricsPort);
  const reports = await Promise.all(children.map(collect));
  await bus.stop();
  for (const p of probes) p.destroy();

  const toClient: number[] = [];
  const fromCommit: number[] = [];
  for (const r of reports)
    for (const received of r.receivedAtMs)
      for (let s = 0; s < events; s++)
        if (!Number.isNaN(received[s])) {
          toClient.push(received[s] - appendedAtMs[s]);
          fromCommit.push(received[s] - committedAtMs[s]);
        }
  const stage = (at: Float64Array, from: Float64Array) => at.map((x, s) => x - from[s]);
  const [p50, p99, max] = quantiles(toClient, 0.5, 0.99, 1);
  const [c50, c99] = quantiles(fromCommit, 0.5, 0.99);
  const [commit50, commit99] = quantiles(stage(committedAtMs, appendedAtMs), 0.5, 0.99);
  const [bus50, bus99] = quantiles(stage(busAtMs, committedAtMs), 0.5, 0.99);
  const [first50, first99] = quantiles(stage(firstProbeAtMs, committedAtMs), 0.5, 0.99);
  const [last50, last99] = quantiles(stage(lastProbeAtMs, committedAtMs), 0.5, 0.99);
  const clientCpuMs = reports.reduce((n, r) => n + r.cpuMs, 0);
  await sleep(1000);

  // 2. stalled clients: they connect, then stop reading; events keep coming (4 KB each).
  const heapBeforeMB = await steadyHeapMB(metricsPort);
  const ringBeforeMB = (await gatewayMetric(metricsPort, 'reflux_gateway_ring_bytes')) / 2 ** 20;
  const stalled = await Promise.all(Array.from({ length: STALLED }, () => openClient(`${base}/v1/events`, token, agent, () => undefined)));
  for (const s of stalled) s.pause();
  const padding = 'x'.repeat(4000);
  const stallEnd = performance.now() + STALL_S * 1000;
  let stallEvents = 0;
  while (performance.now() < stallEnd) {
    await publish({ padding });
    stallEvents++;
    await sleep(1000 / (RATE_PER_S * 5));
  }
  const heapAfterMB = await steadyHeapMB(metricsPort);
  const ringAfterMB = (await gatewayMetric(metricsPort, 'reflux_gateway_ring_bytes')) / 2 ** 20;
  for (const s of stalled) s.destroy();

  gateway.kill('SIGTERM');
  await new Promise((r) => gateway.once('exit', r));
  await store.close();
  await pool.end();
  await pg.stop();
  console.log(
    JSON.stringify({
      clients: CLIENTS,
      clientProcesses: children.length,
      eventsPerSecond: RATE_PER_S,
      /** Below eventsPerSecond when appends took longer than the interval (the writer waits for each commit). */
      eventsPerSecondAchieved: round1(events / publishedS),
      events,
      deliveries: toClient.length,
      deliveriesExpected: events * CLIENTS,
      duplicateDeliveries: reports.reduce((n, r) => n + r.duplicates, 0),
      /** Clients that received the events in another order than the first probe (the log's commit-safe order): must be 0. */
      clientsInAnotherOrder: reports.reduce((n, r) => n + r.orders.filter((o) => o !== probeOrder).length, 0),
      deliveriesPerSecond: Math.round(toClient.length / publishedS),
      appendToClientP50Ms: p50,
      appendToClientP99Ms: p99,
      appendToClientMaxMs: max,
      commitToClientP50Ms: c50,
      commitToClientP99Ms: c99,
      stageAppendCommitP50Ms: commit50,
      stageAppendCommitP99Ms: commit99,
      stageCommitToBusTailP50Ms: bus50,
      stageCommitToBusTailP99Ms: bus99,
      stageCommitToFirstConnectionP50Ms: first50,
      stageCommitToFirstConnectionP99Ms: first99,
      stageCommitToLastConnectionP50Ms: last50,
      stageCommitToLastConnectionP99Ms: last99,
      gatewayEventLoopDelayP99Ms: round1(loopDelayP99Ms),
      gatewayCpuMsPerEvent: round1(gatewayCpuMs / events),
      gatewayCpuPercentOfCore: Math.round(gatewayCpuMs / 10 / cpuWindowS),
      clientProcessesCpuPercentOfCore: Math.round(clientCpuMs / 10 / cpuWindowS),
      stalledClients: STALLED,
      stalledWindowS: STALL_S,
      stalledEvents: stallEvents,
      stalledEventBytes: 4000,
      stalledClientsHeapGrowthMB: round1(heapAfterMB - heapBeforeMB),
      // of which the shared live window (bounded by GATEWAY_RING_BYTES / _EVENTS) filling with the stall's 4 KB events: there with or without clients
      ringGrowthMB: round1(ringAfterMB - ringBeforeMB),
      loadAverage1m: round1(loadavg()[0]),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
