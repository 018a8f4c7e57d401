/**
 * Issue 14, "The loop, end to end": the platform as `npm start` runs it (tools/launcher: embedded
 * PostgreSQL, every service, the simulator), the simulator started a minute before the demo
 * scenario's compressor trip (K-2001 at 03:20 of each four-hour cycle, `SIMULATOR_START`), and the
 * trip followed through UnitTripped → ScheduleProposed → AllocationProposed as one causation chain:
 * in the gateway's trace, in `reflux events trace`, and in the page's "why" panel (Chromium).
 *
 * Which link is whose: MeasurementsIngested → UnitTripped is the safety service's; UnitTripped →
 * ScheduleProposed is scheduling's re-plan, UnitTripped → AllocationProposed supply chain's
 * re-allocation (in the demo both react to the trip itself: the demo network's targets name
 * materials the demo production models do not make, so no SiteCapacityChanged links the two).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@reflux/testing';
import { chromium, type Browser } from 'playwright-core';
import { httpJson, SseClient } from '../../services/control-room-gateway/test/gateway-test.support';

jest.setTimeout(420_000);

const root = resolve(__dirname, '..', '..');
const ARTEFACTS = resolve(root, 'artefacts', 'control-room');
const CYCLE_MS = 4 * 3600_000;
/** The trip starts 3 h 20 min into each four-hour cycle (libs/plant-simulation daily-scenario.ts); cycles align with UTC days. */
const TRIP_OFFSET_MS = 3 * 3600_000 + 1200_000;
/** Running data before the trip, so safety knows the machine ran (its state rule has a 5 s delay). */
const LEAD_MS = 60_000;
/** How long to wait for a link that another service makes (re-plan, re-allocation) on a loaded machine. */
const REACTION_TIMEOUT_MS = 150_000;

interface TraceNode {
  eventId: string;
  type: string;
  source?: string;
  subject?: string;
  correlationId?: string;
  causationId?: string;
  children: TraceNode[];
}
interface Trace {
  eventId: string;
  root: TraceNode;
}

/** The latest trip start with at least LEAD_MS of simulated running before it, not in the future. */
function simulatorStartBeforeTrip(nowMs: number): number {
  const tripStart = Math.floor((nowMs - TRIP_OFFSET_MS - LEAD_MS) / CYCLE_MS) * CYCLE_MS + TRIP_OFFSET_MS;
  return tripStart - LEAD_MS;
}

/** Every path from the root to a node of `type`. */
function pathsTo(node: TraceNode, type: string, above: TraceNode[] = []): TraceNode[][] {
  const path = [...above, node];
  return [...(node.type === type ? [path] : []), ...node.children.flatMap((c) => pathsTo(c, type, path))];
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe('the loop, end to end: a compressor trip through scheduling and supply chain, as one causation chain', () => {
  const home = mkdtempSync(join(tmpdir(), 'reflux-loop-'));
  let launcher: ChildProcess | undefined;
  let output = '';
  let token = '';
  let gateway = '';
  let trips: SseClient | undefined;
  let browser: Browser | undefined;
  let tripId = '';
  let allocationId: string | undefined;

  const trace = async (eventId: string): Promise<Trace | undefined> => {
    const res = await httpJson(`${gateway}/v1/events/${eventId}/trace`, { headers: { authorization: `Bearer ${token}` } });
    return res.status === 200 ? (res.body as unknown as Trace) : undefined;
  };

  beforeAll(async () => {
    const ports = await Promise.all(Array.from({ length: 7 }, () => freePort()));
    const [pg, ingestion, balancing, scheduling, safety, supply, http] = ports;
    gateway = `http://127.0.0.1:${http}`;
    const start = new Date(simulatorStartBeforeTrip(Date.now())).toISOString();
    launcher = spawn(process.execPath, ['-r', join(root, 'scripts', 'register.cjs'), join(root, 'tools', 'launcher', 'src', 'main.ts')], {
      env: {
        ...process.env,
        REFLUX_HOME: home,
        REFLUX_PG_PORT: String(pg),
        REFLUX_INGESTION_PORT: String(ingestion),
        REFLUX_BALANCING_PORT: String(balancing),
        REFLUX_SCHEDULING_PORT: String(scheduling),
        REFLUX_SAFETY_PORT: String(safety),
        REFLUX_SUPPLY_CHAIN_PORT: String(supply),
        REFLUX_CONTROL_ROOM_GATEWAY_PORT: String(http),
        REFLUX_DEMO_PLANT: 'petrochemical',
        SIMULATOR_START: start,
        SIMULATOR_BACKFILL_S: '0',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    launcher.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    launcher.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<never>((_, reject) => launcher!.once('exit', (code) => reject(new Error(`launcher exited (${code}):\n${output}`))));
    token = await Promise.race([exited, eventually('the development token', async () => /export REFLUX_TOKEN=(\S+)/.exec(output)?.[1], 240_000)]);
    expect(output).toMatch(/control-room-gateway\s+http:\/\/127\.0\.0\.1:\d+\s+READY/);
    expect(output).toMatch(/safety\s+grpc:\/\/127\.0\.0\.1:\d+\s+SERVING/);
    // Live from now: the trip is at least LEAD_MS of simulated time after the simulator's start.
    trips = new SseClient(`${gateway}/v1/events?types=UnitTripped`, { authorization: `Bearer ${token}` });
  }, 300_000);

  afterAll(async () => {
    trips?.close();
    await browser?.close();
    if (launcher && launcher.exitCode === null) {
      const stopped = new Promise((r) => launcher!.once('exit', r));
      launcher.kill('SIGINT');
      await stopped;
    }
    rmSync(home, { recursive: true, force: true });
  });

  it('safety names the MeasurementsIngested whose samples tripped K-2001 (the root of the chain)', async () => {
    const trip = await eventually(
      'UnitTripped of K-2001',
      async () => trips!.events.map((e) => JSON.parse(e.data) as { eventId: string; data: { unitId: string } }).find((e) => e.data.unitId === 'K-2001'),
      180_000,
    );
    tripId = trip.eventId;
    const t = (await trace(tripId))!;
    expect(t.root).toMatchObject({ type: 'MeasurementsIngested', source: 'ingestion' });
    const [path] = pathsTo(t.root, 'UnitTripped');
    expect(path!.map((n) => n.type)).toEqual(['MeasurementsIngested', 'UnitTripped']);
    expect(path![1]).toMatchObject({ eventId: tripId, source: 'safety', causationId: t.root.eventId, correlationId: t.root.correlationId });
  });

  it('one chain: the trip caused ScheduleProposed and AllocationProposed, all with the root’s correlation id', async () => {
    expect(tripId).not.toBe('');
    // Waits for the scheduling (re-plan names the trip) and supply-chain (re-allocation names its cause) branches.
    let seen: Trace | undefined;
    const full = await eventually(
      'ScheduleProposed and AllocationProposed caused by the trip',
      async () => {
        const t = (seen = await trace(tripId));
        return t && pathsTo(t.root, 'ScheduleProposed').length > 0 && pathsTo(t.root, 'AllocationProposed').length > 0 ? t : undefined;
      },
      REACTION_TIMEOUT_MS,
    ).catch((error: Error) => {
      const shape = (n: TraceNode): string => `${n.type}${n.children.length > 0 ? `(${n.children.map(shape).join(', ')})` : ''}`;
      throw new Error(`${error.message}; the trip's trace holds ${seen ? shape(seen.root) : 'nothing'}`);
    });
    const schedule = pathsTo(full.root, 'ScheduleProposed')[0]!;
    const allocation = pathsTo(full.root, 'AllocationProposed')[0]!;
    for (const path of [schedule, allocation]) {
      expect(path.slice(0, 2).map((n) => n.type)).toEqual(['MeasurementsIngested', 'UnitTripped']);
      expect(new Set(path.map((n) => n.correlationId))).toEqual(new Set([full.root.correlationId]));
      for (let i = 1; i < path.length; i++) expect(path[i]!.causationId).toBe(path[i - 1]!.eventId);
    }
    expect(schedule[schedule.length - 1]!.source).toBe('scheduling');
    expect(allocation[allocation.length - 1]!.source).toBe('supply-chain');
    allocationId = allocation[allocation.length - 1]!.eventId;
  });

  it('`reflux events trace <UnitTripped id>` prints the tree with the trip, its batch and both proposals', async () => {
    expect(tripId).not.toBe('');
    const run = () =>
      promisify(execFile)(process.execPath, ['-r', join(root, 'scripts', 'register.cjs'), join(root, 'tools', 'cli', 'src', 'main.ts'), 'events', 'trace', tripId, '--address', gateway, '--token', token], { timeout: 60_000 });
    const { stdout } = await run();
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^MeasurementsIngested {2}\S+ {2}ingestion {2}/);
    expect(lines[1]).toMatch(new RegExp(`^└─ UnitTripped {2}\\S+ {2}safety {2}\\S+ {2}${tripId} {2}◀$`));
    // Waits for the scheduling and supply-chain branches (as the test above).
    expect(allocationId).toBeDefined();
    const again = await run();
    expect(again.stdout).toMatch(/[├└]─ ScheduleProposed {2}\S+ {2}scheduling/);
    expect(again.stdout).toMatch(/[├└]─ AllocationProposed {2}\S+ {2}supply-chain/);
  });

  it('the page’s why panel shows what the trip caused, and the allocation proposal’s line of causes', async () => {
    expect(tripId).not.toBe('');
    mkdirSync(ARTEFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
    const page = await (await browser.newContext({ viewport: { width: 1100, height: 700 } })).newPage();
    const open = async (eventId: string) => {
      await page.goto(`${gateway}/?why=${eventId}`);
      await page.waitForSelector('#login:not([hidden]), #link[data-state=live]', { timeout: 60_000 });
      if (await page.isVisible('#login')) {
        await page.fill('#token', token);
        await page.click('#login button[type=submit]');
      }
      await page.waitForSelector('#link[data-state=live]', { timeout: 60_000 });
    };
    await open(tripId);
    await page.waitForSelector(`#why li[data-type=UnitTripped][data-event-id="${tripId}"][data-focus]`, { timeout: 60_000 });
    expect(await page.$$eval('#why li', (lis) => lis.map((li) => li.getAttribute('data-type')))).toEqual(expect.arrayContaining(['MeasurementsIngested', 'UnitTripped']));
    await page.screenshot({ path: join(ARTEFACTS, 'why-trip.png'), fullPage: true });
    // Waits for the scheduling and supply-chain branches.
    expect(allocationId).toBeDefined();
    // the trip's tree now holds what it caused: the re-plan and the re-allocation
    await open(tripId);
    await page.waitForSelector(`#why li[data-type=UnitTripped][data-event-id="${tripId}"][data-focus]`, { timeout: 60_000 });
    const caused = await page.$$eval('#why li', (lis) => lis.map((li) => li.getAttribute('data-type')));
    expect(caused.slice(0, 2)).toEqual(['MeasurementsIngested', 'UnitTripped']);
    expect(caused).toEqual(expect.arrayContaining(['ScheduleProposed', 'AllocationProposed']));
    await page.screenshot({ path: join(ARTEFACTS, 'why-trip-caused.png'), fullPage: true });
    // the allocation's "why" is its line of causes, from the measurement down to it
    await open(allocationId!);
    await page.waitForSelector(`#why li[data-event-id="${allocationId}"][data-focus]`, { timeout: 60_000 });
    const chain = await page.$$eval('#why li', (lis) => lis.map((li) => li.getAttribute('data-type')));
    expect(chain.slice(0, 2)).toEqual(['MeasurementsIngested', 'UnitTripped']);
    expect(chain[chain.length - 1]).toBe('AllocationProposed');
    await page.screenshot({ path: join(ARTEFACTS, 'why-allocation.png'), fullPage: true });
  });
});
