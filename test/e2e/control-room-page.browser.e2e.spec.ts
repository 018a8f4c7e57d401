/**
 * The control-room page in real Chromium against the gateway and the real ingestion service on one
 * database: live values change after samples are written, a reconciled balance appears without a
 * reload, a dropped stream resumes without a gap or a duplicate, a viewer cannot acknowledge.
 * Balancing, safety, scheduling and supply chain are real gRPC servers built from their proto
 * definitions serving known data (`known-upstreams.support.ts`): the overview's network diagrams,
 * the trend's limit lines, the Gantt chart and the allocation tables are checked against it, on
 * the plant clock of a plant model in Europe/Amsterdam.
 * Screenshots of each view go to `artefacts/control-room/` (gitignored).
 */
import { createTestDatabase, testStorageMode } from '@reflux/testing';
import type { PostgresEventStore } from '@reflux/event-store';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { InMemoryTagCatalog } from '../../services/ingestion/src/application/in-memory-tag-catalog';
import { startIngestionApp, type IngestionApp } from '../../services/ingestion/src/ingestion.app';
import { GrpcUpstream } from '../../services/control-room-gateway/src/adapters/grpc/grpc-upstream';
import { ensureWebBuilt } from '../../services/control-room-gateway/src/adapters/http/web-build';
import { readPlantViews } from '../../services/control-room-gateway/src/adapters/plant-model/plant-model.snapshot-source';
import { DEFAULT_WEB_ROOT, type GatewayApp, type GatewayAppOptions } from '../../services/control-room-gateway/src/gateway.app';
import { KNOWN_HORIZON_START, knownPlantModel, startKnownUpstreams, type KnownUpstreams } from '../../services/control-room-gateway/test/known-upstreams.support';
import { JWT_SECRET, publish, reconciled, startTestGateway, token, waitFor, writerStore } from '../../services/control-room-gateway/test/gateway-test.support';

const PLANT = 'page-plant';
const ARTEFACTS = resolve(__dirname, '..', '..', 'artefacts', 'control-room');
const logger = pino({ enabled: false });
/** What the page should show for an instant: Europe/Amsterdam in winter is UTC+01:00. */
const localAmsterdam = (ms: number) => `${new Date(ms + 3600_000).toISOString().slice(0, 19).replace('T', ' ')} UTC+01:00`;

describe('control-room page in Chromium', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  let store: PostgresEventStore;
  let ingestion: IngestionApp;
  let writer: GrpcUpstream;
  let gw: GatewayApp;
  let upstreams: KnownUpstreams;
  let gatewayOptions: Partial<GatewayAppOptions>;
  let browser: Browser;
  let page: Page;
  let t = Date.now() - 60_000;

  const write = async (fi: number, ti: number) => {
    t += 1000;
    const time = { seconds: String(Math.floor(t / 1000)), nanos: 0 };
    const ack = await writer.call('Write', { batch: { clientBatchId: `b-${t}`, samples: [{ tagId: 'FI-101', time, value: fi }, { tagId: 'TI-101', time, value: ti }] } }, { subject: 'test', authorization: `Bearer ${token(['ingest'])}` });
    return ack;
  };
  const signIn = async (roles: ('viewer' | 'operator')[], subject: string) => {
    await page.goto(`${gw.url}/?tags=FI-101,TI-101&plantId=${PLANT}`);
    await page.fill('#token', token(roles, subject));
    await page.click('#login button[type=submit]');
    await page.waitForSelector('#link[data-state=live]');
  };
  const open = async (tab: string) => {
    await page.click(`#tabs button:text-is("${tab}")`);
    await page.waitForSelector(`#${tab.toLowerCase()}`);
  };
  const shot = async (tab: string) => {
    await open(tab);
    await page.screenshot({ path: join(ARTEFACTS, `${tab.toLowerCase()}.png`), fullPage: true });
  };
  const positions = () => page.evaluate(() => (window as unknown as { reflux: { positions: number[] } }).reflux.positions);

  beforeAll(async () => {
    mkdirSync(ARTEFACTS, { recursive: true });
    await ensureWebBuilt(resolve(DEFAULT_WEB_ROOT, '..'), logger);
    db = await createTestDatabase('gateway_page');
    ingestion = await startIngestionApp({
      databaseUrl: db.url,
      databasePoolMax: 4,
      storage: { timescale: testStorageMode() },
      grpc: { host: '127.0.0.1', port: 0, auth: { jwt: { hs256Secrets: [JWT_SECRET], development: true } } },
      catalog: new InMemoryTagCatalog([
        { id: 'FI-101', plantId: PLANT, unit: 'kg/s' },
        { id: 'TI-101', plantId: PLANT, unit: 'degC' },
      ]),
      logger,
      bus: { kind: 'postgres' },
    });
    pool = new Pool({ connectionString: db.url, max: 3 });
    store = await writerStore(pool);
    upstreams = await startKnownUpstreams({ plantId: PLANT, balanceWindowStartMs: Date.UTC(2026, 0, 1, 0, 1), timeZone: 'Europe/Amsterdam' });
    const modelFile = join(mkdtempSync(join(tmpdir(), 'page-plant-')), 'page-plant.json');
    writeFileSync(modelFile, JSON.stringify(knownPlantModel(PLANT, 'Europe/Amsterdam')));
    writer = new GrpcUpstream('ingestion', `127.0.0.1:${ingestion.port}`, 'reflux/ingestion/v1/ingestion.proto', 'reflux.ingestion.v1.IngestionService', 5000);
    gatewayOptions = {
      upstreams: { ingestion: `127.0.0.1:${ingestion.port}`, balancing: upstreams.balancing, safety: upstreams.safety, scheduling: upstreams.scheduling, supplyChain: upstreams.supplyChain },
      plants: readPlantViews([modelFile]),
      webRoot: DEFAULT_WEB_ROOT,
    };
    gw = await startTestGateway(db.url, gatewayOptions);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
    page = await (await browser.newContext({ viewport: { width: 1100, height: 700 } })).newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
    await upstreams?.stop();
    writer?.close();
    await ingestion?.stop();
    await store?.close();
    await pool?.end();
    await db?.drop();
  });

  it('shows live values that change after samples are written, and a reconciled balance without a reload', async () => {
    const first = await write(12.5, 80);
    await signIn(['viewer'], 'vera');
    await page.waitForSelector('#overview', { timeout: 10_000 });
    await waitFor('FI-101 on the page', async () => /12\.5 kg\/s/.test((await page.textContent('#overview')) ?? ''), 10_000).catch(async (e: unknown) => {
      const snap = await fetch(`${gw.url}/v1/snapshot/tags?ids=FI-101`, { headers: { authorization: `Bearer ${token(['viewer'])}` } }).then((r) => r.text());
      throw new Error(`${String(e)}; ack ${JSON.stringify(first)}; snapshot ${snap}; the page shows: ${await page.textContent('#view')}`);
    });
    await write(13.25, 81.5);
    await page.waitForSelector('tr[data-tag="FI-101"] td:has-text("13.25 kg/s")');
    await page.waitForSelector('tr[data-tag="TI-101"] td:has-text("81.5 °C")');
    // Sample times on the plant clock (Europe/Amsterdam, from the plant model), with the offset.
    const sampleTime = (await page.textContent('tr[data-tag="FI-101"] td:last-child'))!;
    expect(sampleTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\+01:00$/);
    expect(sampleTime).toBe(localAmsterdam(t));
    expect(await page.textContent('#overview')).toContain('No reconciled window yet.');
    // A reconciled balance appears without a reload: the network diagrams with the reconciled flows.
    const before = (await positions()).length;
    await publish(store, 'BalanceReconciled', reconciled(PLANT, 1));
    await waitFor('balance event on the page', async () => (await positions()).length > before);
    await page.waitForSelector('[data-network="material"] g[data-stream="S1"]');
    expect(await page.textContent('[data-network="material"] g[data-stream="S1"] text')).toBe('52.5 kg/s');
    expect(await page.getAttribute('[data-network="material"] g[data-stream="S3"]', 'class')).toContain('gross-error');
    expect(await page.textContent('[data-network="material"] g[data-unit="CDU-1"]')).toContain('LOSS 2.15 kg/s');
    expect(await page.textContent('[data-network="material"] g[data-unit="HDT-1"]')).toContain('closure 0.00 %');
    expect(await page.locator('[data-network="energy"] g[data-stream="ST1"] text').textContent()).toBe('4.4 kg/s');
    expect(await page.locator('[data-network="energy"] g[data-unit="EB-1"]').count()).toBe(1);
    expect(await page.textContent('p[data-balance]')).toContain('window 2026-01-01 01:01 UTC+01:00 – 2026-01-01 02:01 UTC+01:00');
    await write(14, 82);
    await page.waitForSelector('tr[data-tag="FI-101"] td:has-text("14 kg/s")');
    await shot('Overview');
    await shot('Trends');
    expect(await page.locator('[data-trend="FI-101"] canvas').count()).toBe(1);
    // Full width, and TI-101's limits from the alarm configuration drawn as four lines.
    const viewWidth = await page.evaluate(() => document.getElementById('view')!.clientWidth);
    const chartWidth = await page.evaluate(() => (document.querySelector('[data-trend="TI-101"] .uplot') as HTMLElement).offsetWidth);
    expect(chartWidth).toBeGreaterThan(viewWidth * 0.9);
    expect(await page.getAttribute('[data-trend="TI-101"]', 'data-limits')).toBe('HH=95,H=90,L=60,LL=50');
    expect(await page.textContent('[data-trend="TI-101"]')).toContain('HH 95 °C');
    expect(await page.textContent('[data-trend="TI-101"]')).toContain('TI-101 [°C]');
  });

  it('resumes after the gateway dropped the stream (restart on the same port) without a gap or a duplicate', async () => {
    await page.click('#tabs button:text-is("Overview")');
    const from = (await positions()).at(-1)!;
    await gw.stop();
    await page.waitForSelector('#link[data-state=offline]');
    const missed: number[] = [];
    for (let i = 0; i < 3; i++) missed.push(await publish(store, 'LossSuspected', { plantId: PLANT, unitId: 'U-1', i }));
    gw = await startTestGateway(db.url, { ...gatewayOptions, port: gw.port });
    await waitFor('the missed events', async () => (await positions()).includes(missed[2]!), 30_000);
    await page.waitForSelector('#link[data-state=live]');
    const got = await positions();
    expect(got.slice(got.indexOf(from) + 1)).toEqual(missed);
    expect(new Set(got).size).toBe(got.length);
  });

  it('shows the alarm view with acknowledge disabled for a viewer', async () => {
    await shot('Alarms');
    await page.waitForSelector('tr[data-alarm="TI-101/H"]');
    expect(await page.isDisabled('tr[data-alarm="TI-101/H"] button:text-is("Acknowledge")')).toBe(true);
    expect(await page.textContent('tr[data-alarm="TI-101/H"]')).toContain(localAmsterdam(KNOWN_HORIZON_START));
    expect(await page.textContent('tr[data-alarm="TI-101/H"]')).toContain('91.5 °C');
    // The page offers no action to a viewer; the gateway refuses one anyway (403), CSRF header included.
    const refused = await page.evaluate(async () => {
      const csrf = decodeURIComponent(document.cookie.split('; ').find((c) => c.startsWith('reflux_csrf='))!.slice(12));
      const res = await fetch('/v1/alarms/FI-101%2FHH/ack', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ plantId: 'page-plant' }) });
      return res.status;
    });
    expect(refused).toBe(403);
  });

  it('draws the schedule as a Gantt chart on the plant clock and redraws it when a schedule event arrives', async () => {
    await shot('Schedule');
    const bar = 'g[data-unit="CDU-1"][data-lane="proposed"][data-mode="crude-heavy"]';
    await page.waitForSelector(bar);
    expect(await page.locator('g[data-unit="CDU-1"][data-lane="published"][data-mode="crude-light"]').count()).toBe(1);
    expect(await page.getAttribute(`${bar} rect`, 'class')).toContain('changed');
    expect(await page.textContent(`${bar} title`)).toContain('2026-01-15 11:00 UTC+01:00 – 15:00, 182 t');
    expect(await page.locator('g[data-unit="CDU-1"][data-lane="proposed"][data-kind="changeover"]').count()).toBe(1);
    expect(await page.getAttribute('#schedule rect.frozen', 'data-frozen-until')).toBe(new Date(KNOWN_HORIZON_START + 2 * 3600_000).toISOString());
    expect(await page.textContent('#schedule')).toContain('frozen until 09:00');
    expect(await page.textContent('#schedule svg')).toContain('07:00');
    // The planner publishes the proposal: the scheduling service answers with it as published.
    const published = { ...upstreams.data.schedule.proposed, state: 'SCHEDULE_STATE_PUBLISHED', scheduleId: 'sched-2', publishedBy: 'planner-paula', publishTime: { seconds: String(KNOWN_HORIZON_START / 1000), nanos: 0 } };
    upstreams.data.schedule = { published, proposed: null } as unknown as typeof upstreams.data.schedule;
    await publish(store, 'SchedulePublished', { plantId: PLANT, scheduleId: 'sched-2' });
    await page.waitForSelector('g[data-unit="CDU-1"][data-lane="published"][data-mode="crude-heavy"]');
    expect(await page.locator('g[data-lane="proposed"]').count()).toBe(0);
    await page.screenshot({ path: join(ARTEFACTS, 'schedule-after-publish.png'), fullPage: true });
  });

  it('shows the allocation as tables with late orders marked, and redraws it when an allocation event arrives', async () => {
    await shot('Allocation');
    await page.waitForSelector('tr[data-production="modular-a/pyrolysis-oil"]');
    expect(await page.textContent('tr[data-production="modular-a/pyrolysis-oil"]')).toContain('15.5 t');
    expect(await page.textContent('tr[data-production="rotterdam/ethylene"]')).toContain('230 t');
    expect(await page.textContent('tr[data-lane="rotterdam->antwerp"]')).toContain('80 t');
    expect(await page.getAttribute('tr[data-order="ERP-1002"]', 'class')).toBe('late');
    expect(await page.getAttribute('tr[data-order="ERP-1001"]', 'class')).toBeNull();
    expect(await page.textContent('#allocation thead')).toContain('P0\n2026-01-15\n07:00 (frozen)');
    expect(await page.textContent('#allocation')).toContain('Proposed allocation alloc-7');
    upstreams.data.allocation = { ...upstreams.data.allocation!, published: true };
    await publish(store, 'AllocationPublished', { allocationId: 'alloc-7' });
    await page.waitForSelector('p[data-allocation]:has-text("Published allocation alloc-7")');
  });
});
