/**
 * A share of the benchmark's SSE clients, run as a child process (forked with IPC) so that parsing
 * the streams does not share the gateway's or the writer's event loop. Receives its settings as the
 * first IPC message, opens its clients (50 at a time), says `ready`, and on `collect` sends, per
 * client, the wall-clock time (ms, `performance.timeOrigin + performance.now()`, comparable across
 * processes on one machine) at which each event (by its `seq`) was received, NaN when it was not.
 */
import { Agent, request, type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { ORDER_HASH_START, orderHash, type ClientSettings, type ClientsReport } from './sse-clients.protocol';

const wallClockMs = (): number => performance.timeOrigin + performance.now();

/** Index of `"seq":` in the data of an event; the number that follows is the event's sequence in the run. */
const SEQ = '"seq":';

class SseClient {
  readonly receivedAtMs: Float64Array;
  duplicates = 0;
  order = ORDER_HASH_START;
  private buffer = '';
  response?: IncomingMessage;

  constructor(events: number) {
    this.receivedAtMs = new Float64Array(events).fill(Number.NaN);
  }

  /** One chunk of the stream: every complete event in it is stamped with the chunk's arrival time. */
  onChunk(chunk: string): void {
    const now = wallClockMs();
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const at = block.indexOf(SEQ);
      if (at < 0) continue;
      const seq = Number.parseInt(block.slice(at + SEQ.length, at + SEQ.length + 12), 10);
      if (!(seq >= 0 && seq < this.receivedAtMs.length)) continue;
      if (!Number.isNaN(this.receivedAtMs[seq])) this.duplicates++;
      else this.receivedAtMs[seq] = now;
      this.order = orderHash(this.order, seq);
    }
  }
}

function open(settings: ClientSettings, agent: Agent, client: SseClient): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(settings.url, { agent, headers: { authorization: `Bearer ${settings.token}`, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`SSE answered HTTP ${res.statusCode}`));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => client.onChunk(chunk));
      client.response = res;
      resolve();
    });
    req.on('error', reject);
    req.end();
  });
}

async function run(settings: ClientSettings): Promise<void> {
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const clients = Array.from({ length: settings.clients }, () => new SseClient(settings.events));
  for (let i = 0; i < clients.length; i += 50) await Promise.all(clients.slice(i, i + 50).map((c) => open(settings, agent, c)));
  const cpuAtReady = process.cpuUsage();
  process.send!({ ready: true });
  process.on('message', (m: { collect?: boolean }) => {
    if (!m.collect) return;
    const cpu = process.cpuUsage(cpuAtReady);
    for (const c of clients) c.response?.destroy();
    const report: ClientsReport = {
      receivedAtMs: clients.map((c) => c.receivedAtMs),
      duplicates: clients.reduce((n, c) => n + c.duplicates, 0),
      orders: clients.map((c) => c.order),
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
    process.send!(report, undefined, undefined, () => process.exit(0));
  });
}

process.once('message', (settings: ClientSettings) => {
  run(settings).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
