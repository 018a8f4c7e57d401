/**
 * Control-room gateway benchmark. Starts an embedded PostgreSQL and the gateway as its own process
 * (services/control-room-gateway/src/main.ts), then:
 *  1. fan-out: CLIENTS concurrent SSE clients on loopback while events are appended at RATE_PER_S;
 *     latency = append committed → event parsed by a client (same clock: clients and writer share
 *     this process), p99 over every (event, client) pair;
 *  2. stalled clients: STALLED clients that stop reading while events keep coming for STALL_S; the
 *     gateway's heap (nodejs_heap_size_used_bytes from its METRICS_PORT) before and after.
 * Last line: one JSON object.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Agent, request, type IncomingMessage } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { PostgresEventStore } from '@reflux/event-store';
import { createDevelopmentToken } from '@reflux/grpc';
import { freePort, startEmbeddedPostgres } from '@reflux/testing';

const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 1000);
/** Demo rate: the simulator's MeasurementsIngested plus balancing and safety events is a few per second; 20/s leaves headroom. */
const RATE_PER_S = Number(process.env['BENCH_RATE_PER_S'] ?? 20);
const FANOUT_S = Number(process.env['BENCH_FANOUT_S'] ?? 30);
const STALLED = 100;
const STALL_S = Number(process.env['BENCH_STALL_S'] ?? 60);
const SECRET = 'control-room-bench-secret-0123456789abcdef';
const root = join(__dirname, '..', '..');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function heapUsedMB(metricsPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('nodejs_heap_size_used_bytes'));
  return Number(line?.split(' ')[1]) / 2 ** 20;
}

/** Median of a few samples, to look past collection timing. */
async function steadyHeapMB(metricsPort: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 7; i++) {
    samples.push(await heapUsedMB(metricsPort));
    await sleep(500);
  }
  return samples.sort((a, b) => a - b)[3];
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

async function main(): Promise<void> {
  const pg = await startEmbeddedPostgres();
  const pool = new Pool({ connectionString: pg.url, max: 4 });
  const store = new PostgresEventStore({ pool });
  await store.migrate();
  const httpPort = await freePort();
  const metricsPort = await freePort();
  const gateway = spawn(process.execPath, ['-r', join(root, 'scripts', 'register.cjs'), join(root, 'services', 'control-room-gateway', 'src', 'main.ts')], {
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
        data: { plantId: 'bench', unitId: `U-${seq++ % 40}`, sentAtMs: performance.timeOrigin + performance.now(), ...extra },
        metadata: { topic: 'reflux.balancing', source: 'bench', subject: 'bench', occurredAt: new Date().toISOString(), correlationId: randomUUID() },
      },
    ]);

  // 1. fan-out
  const latencies: number[] = [];
  let received = 0;
  const clients: IncomingMessage[] = [];
  for (let i = 0; i < CLIENTS; i += 50)
    clients.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(50, CLIENTS - i) }, () =>
          openClient(`${base}/v1/events?types=LossSuspected`, token, agent, (data) => {
            const sentAtMs = (JSON.parse(data) as { data: { sentAtMs: number } }).data.sentAtMs;
            latencies.push(performance.timeOrigin + performance.now() - sentAtMs);
            received++;
          }),
        ),
      )),
    );
  const events = RATE_PER_S * FANOUT_S;
  const t0 = performance.now();
  for (let i = 0; i < events; i++) {
    const due = t0 + (i * 1000) / RATE_PER_S;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    await publish();
  }
  const expected = events * CLIENTS;
  const deadline = Date.now() + 30_000;
  while (received < expected && Date.now() < deadline) await sleep(50);
  const elapsedS = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)];
  for (const c of clients) c.destroy();
  await sleep(1000);

  // 2. stalled clients: they connect, then stop reading; events keep coming (4 KB each).
  const heapBeforeMB = await steadyHeapMB(metricsPort);
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
  for (const s of stalled) s.destroy();

  gateway.kill('SIGTERM');
  await new Promise((r) => gateway.once('exit', r));
  await store.close();
  await pool.end();
  await pg.stop();
  console.log(
    JSON.stringify({
      clients: CLIENTS,
      eventsPerSecond: RATE_PER_S,
      events,
      deliveries: received,
      deliveriesExpected: expected,
      deliveriesPerSecond: Math.round(received / elapsedS),
      appendToClientP50Ms: Math.round(p(0.5) * 10) / 10,
      appendToClientP99Ms: Math.round(p(0.99) * 10) / 10,
      appendToClientMaxMs: Math.round(latencies[latencies.length - 1] * 10) / 10,
      stalledClients: STALLED,
      stalledWindowS: STALL_S,
      stalledEvents: stallEvents,
      stalledEventBytes: 4000,
      stalledClientsHeapGrowthMB: Math.round((heapAfterMB - heapBeforeMB) * 10) / 10,
      loadAverage1m: Math.round(loadavg()[0] * 10) / 10,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
