/**
 * The control-room page in real Chromium against the gateway and the real ingestion service on one
 * database: live values change after samples are written, a reconciled balance appears without a
 * reload, a dropped stream resumes without a gap or a duplicate, a viewer cannot acknowledge.
 * Screenshots of each view go to `artefacts/control-room/` (gitignored).
 */
import { createTestDatabase, testStorageMode } from '@reflux/testing';
import type { PostgresEventStore } from '@reflux/event-store';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { InMemoryTagCatalog } from '../../services/ingestion/src/application/in-memory-tag-catalog';
import { startIngestionApp, type IngestionApp } from '../../services/ingestion/src/ingestion.app';
import { GrpcUpstream } from '../../services/control-room-gateway/src/adapters/grpc/grpc-upstream';
import { ensureWebBuilt } from '../../services/control-room-gateway/src/adapters/http/web-build';
import { DEFAULT_WEB_ROOT, type GatewayApp } from '../../services/control-room-gateway/src/gateway.app';
import { JWT_SECRET, publish, reconciled, startTestGateway, token, waitFor, writerStore } from '../../services/control-room-gateway/test/gateway-test.support';

const PLANT = 'page-plant';
const ARTEFACTS = resolve(__dirname, '..', '..', 'artefacts', 'control-room');
const logger = pino({ enabled: false });

describe('control-room page in Chromium', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  let store: PostgresEventStore;
  let ingestion: IngestionApp;
  let writer: GrpcUpstream;
  let gw: GatewayApp;
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
  const shot = async (tab: string) => {
    await page.click(`#tabs button:text-is("${tab}")`);
    await page.waitForSelector(`#${tab.toLowerCase()}`);
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
    writer = new GrpcUpstream('ingestion', `127.0.0.1:${ingestion.port}`, 'reflux/ingestion/v1/ingestion.proto', 'reflux.ingestion.v1.IngestionService', 5000);
    gw = await startTestGateway(db.url, { upstreams: { ingestion: `127.0.0.1:${ingestion.port}` }, defaultPlantId: PLANT, webRoot: DEFAULT_WEB_ROOT });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
    page = await (await browser.newContext({ viewport: { width: 1100, height: 700 } })).newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
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
    expect(await page.textContent('#overview')).toContain('Balancing service not available');
    // A plant-wide event reaches the open page; the balances snapshot (no balancing address here) says so.
    const before = (await positions()).length;
    await publish(store, 'BalanceReconciled', reconciled(PLANT, 1));
    await waitFor('balance event on the page', async () => (await positions()).length > before);
    await write(14, 82);
    await page.waitForSelector('tr[data-tag="FI-101"] td:has-text("14 kg/s")');
    await shot('Overview');
    await shot('Trends');
    expect(await page.locator('[data-trend="FI-101"] canvas').count()).toBe(1);
  });

  it('resumes after the gateway dropped the stream (restart on the same port) without a gap or a duplicate', async () => {
    await page.click('#tabs button:text-is("Overview")');
    const from = (await positions()).at(-1)!;
    await gw.stop();
    await page.waitForSelector('#link[data-state=offline]');
    const missed: number[] = [];
    for (let i = 0; i < 3; i++) missed.push(await publish(store, 'LossSuspected', { plantId: PLANT, unitId: 'U-1', i }));
    gw = await startTestGateway(db.url, { port: gw.port, upstreams: { ingestion: `127.0.0.1:${ingestion.port}` }, defaultPlantId: PLANT, webRoot: DEFAULT_WEB_ROOT });
    await waitFor('the missed events', async () => (await positions()).includes(missed[2]!), 30_000);
    await page.waitForSelector('#link[data-state=live]');
    const got = await positions();
    expect(got.slice(got.indexOf(from) + 1)).toEqual(missed);
    expect(new Set(got).size).toBe(got.length);
  });

  it('shows the alarm view with acknowledge disabled for a viewer, and the schedule and allocation as not available', async () => {
    await shot('Alarms');
    expect(await page.textContent('#alarms')).toContain('Safety service not available');
    // The page offers no action to a viewer; the gateway refuses one anyway (403), CSRF header included.
    const refused = await page.evaluate(async () => {
      const csrf = decodeURIComponent(document.cookie.split('; ').find((c) => c.startsWith('reflux_csrf='))!.slice(12));
      const res = await fetch('/v1/alarms/FI-101%2FHH/ack', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ plantId: 'page-plant' }) });
      return res.status;
    });
    expect(refused).toBe(403);
    await shot('Schedule');
    expect(await page.textContent('#schedule')).toContain('Scheduling service not available');
    await shot('Allocation');
    expect(await page.textContent('#allocation')).toContain('Supply-chain service not available');
  });
});
