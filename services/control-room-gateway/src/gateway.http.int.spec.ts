import { Pool } from 'pg';
import { createTestDatabase } from '@reflux/testing';
import type { PostgresEventStore } from '@reflux/event-store';
import WebSocket from 'ws';
import type { GatewayApp } from './gateway.app';
import { GATEWAY_ROUTES } from './adapters/http/gateway.routes';
import { httpJson, publish, reconciled, SseClient, startTestGateway, token, waitFor, writerStore } from '../test/gateway-test.support';

describe('control-room gateway HTTP: slow consumers, sessions, CSRF, roles, OpenAPI', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  let store: PostgresEventStore;
  let gw: GatewayApp;

  beforeAll(async () => {
    db = await createTestDatabase('gateway_http');
    pool = new Pool({ connectionString: db.url, max: 10 });
    store = await writerStore(pool);
    gw = await startTestGateway(db.url, { fanout: { ringEvents: 200, ringBytes: 64 << 20, catchUpBatch: 100, concurrentCatchUps: 2 }, clientBufferBytes: 64 << 10 });
  });
  afterAll(async () => {
    await gw?.stop();
    await store.close();
    await pool.end();
    await db.drop();
  });

  it('tells a client that stopped reading that it lags and closes it, while a reading client gets every event; the lagging client resumes without a gap', async () => {
    const viewer = { authorization: `Bearer ${token(['viewer'])}` };
    const stalled = new SseClient(`${gw.url}/v1/events?types=LossSuspected`, viewer);
    const reading = new SseClient(`${gw.url}/v1/events?types=LossSuspected`, viewer);
    await waitFor('streams open', () => stalled.response !== undefined && reading.response !== undefined);
    stalled.pause();
    const padding = 'x'.repeat(20_000); // 12 MB in all: more than loopback socket buffers absorb
    const written: number[] = [];
    for (let i = 0; i < 600; i++) written.push(await publish(store, 'LossSuspected', { plantId: 'p1', unitId: 'u1', note: padding, i }));
    await waitFor('reading client has all', () => reading.positions().length === 600, 30_000);
    expect(reading.positions()).toEqual(written);
    expect(gw.fanout.stats().laggingDisconnects).toBe(1);
    stalled.resume();
    await waitFor('lagging message', () => stalled.events.some((e) => e.event === 'lagging'));
    await waitFor('stalled stream closed', () => stalled.ended);
    const got = stalled.positions();
    const lagging = JSON.parse(stalled.events.find((e) => e.event === 'lagging')!.data) as { resumeAfter: number };
    expect(got).toEqual(written.slice(0, got.length));
    expect(lagging.resumeAfter).toBe(got[got.length - 1]);
    expect(got.length).toBeLessThan(600);
    // Reconnecting from the position it was given yields the rest, exactly once.
    const again = new SseClient(`${gw.url}/v1/events?types=LossSuspected`, { ...viewer, 'last-event-id': String(lagging.resumeAfter) });
    await waitFor('the rest', () => again.positions().length === 600 - got.length, 30_000);
    expect([...got, ...again.positions()]).toEqual(written);
    again.close();
    reading.close();
  });

  it('tells a WebSocket client that stopped reading that it lags (with its resume position) and closes it with 4008', async () => {
    const viewer = { authorization: `Bearer ${token(['viewer'])}` };
    const positions: number[] = [];
    const controls: { control: string; resumeAfter: number }[] = [];
    let closeCode = 0;
    const ws = new WebSocket(`${gw.url.replace('http', 'ws')}/v1/events/ws?types=GrossErrorCleared`, { headers: viewer });
    ws.on('message', (m) => {
      const msg = JSON.parse(String(m)) as { position?: number; control?: string; resumeAfter: number };
      if (msg.control) controls.push(msg as { control: string; resumeAfter: number });
      else positions.push(msg.position!);
    });
    ws.on('close', (code) => (closeCode = code));
    await new Promise((r) => ws.once('open', r));
    ws.pause();
    const laggedBefore = gw.fanout.stats().laggingDisconnects;
    const padding = 'y'.repeat(20_000);
    const written: number[] = [];
    for (let i = 0; i < 600; i++) written.push(await publish(store, 'GrossErrorCleared', { plantId: 'p1', note: padding, i }));
    await waitFor('lagging counted', () => gw.fanout.stats().laggingDisconnects === laggedBefore + 1, 30_000);
    ws.resume();
    await waitFor('closed', () => closeCode !== 0, 30_000);
    expect(closeCode).toBe(4008);
    expect(controls).toEqual([expect.objectContaining({ control: 'lagging', resumeAfter: positions[positions.length - 1] })]);
    expect(positions).toEqual(written.slice(0, positions.length));
    expect(positions.length).toBeLessThan(600);
  });

  it('issues an HttpOnly SameSite=Strict session cookie and a CSRF cookie from a token; cookie actions need the CSRF header; a viewer gets 403 on acknowledge', async () => {
    const bad = await httpJson(`${gw.url}/v1/session`, { method: 'POST', body: { token: 'a.b.c' } });
    expect(bad.status).toBe(401);
    const viewerSession = await httpJson(`${gw.url}/v1/session`, { method: 'POST', body: { token: token(['viewer'], 'vera') } });
    expect(viewerSession.status).toBe(200);
    const cookies = viewerSession.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('reflux_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    const csrfCookie = cookies.find((c) => c.startsWith('reflux_csrf='))!;
    expect(csrfCookie).not.toMatch(/HttpOnly/);
    const jar = cookies.map((c) => c.split(';')[0]).join('; ');
    const csrf = viewerSession.body['csrfToken'] as string;
    expect(jar).toContain(`reflux_csrf=${csrf}`);

    expect((await httpJson(`${gw.url}/v1/session`, { headers: { cookie: jar } })).body).toMatchObject({ subject: 'vera', roles: ['viewer'], via: 'session-cookie' });
    const ack = (headers: Record<string, string>) => httpJson(`${gw.url}/v1/alarms/${encodeURIComponent('TI-101/H')}/ack`, { method: 'POST', headers, body: { plantId: 'p1' } });
    const noCsrf = await ack({ cookie: jar });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body).toMatchObject({ code: 'GATEWAY.CSRF_TOKEN_MISMATCH', violations: [{ field: 'x-csrf-token' }] });
    expect((await ack({ cookie: jar, 'x-csrf-token': 'wrong-token-of-the-right-size-xxxxxx' })).body).toMatchObject({ code: 'GATEWAY.CSRF_TOKEN_MISMATCH' });
    const viewerAck = await ack({ cookie: jar, 'x-csrf-token': csrf });
    expect(viewerAck.status).toBe(403);
    expect(viewerAck.body).toMatchObject({ code: 'GATEWAY.PERMISSION_DENIED' });
    // An operator passes auth, CSRF and role checks; with no safety service configured the action is 503, not lost silently.
    const operatorAck = await ack({ authorization: `Bearer ${token(['operator'])}` });
    expect(operatorAck.status).toBe(503);
    expect(operatorAck.body).toMatchObject({ code: 'GATEWAY.SERVICE_NOT_AVAILABLE' });
    const shelveBad = await httpJson(`${gw.url}/v1/alarms/x/shelve`, { method: 'POST', headers: { authorization: `Bearer ${token(['operator'])}` }, body: { plantId: 'p1', expiresAt: 'tomorrow' } });
    expect(shelveBad.status).toBe(503);
    expect((await httpJson(`${gw.url}/v1/alarms/x/ack`, { method: 'POST', body: { plantId: 'p1' } })).status).toBe(401);
    const out = await httpJson(`${gw.url}/v1/session`, { method: 'DELETE', headers: { cookie: jar } });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().every((c) => /Max-Age=0/.test(c))).toBe(true);
  });

  it('says "service not available" for snapshots whose service has no adapter or address', async () => {
    for (const kind of ['tags', 'balances', 'alarms', 'schedule', 'allocation']) {
      const res = await httpJson(`${gw.url}/v1/snapshot/${kind}`, { headers: { authorization: `Bearer ${token(['viewer'])}` } });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ available: false, code: 'GATEWAY.SERVICE_NOT_AVAILABLE' });
    }
    await publish(store, 'BalanceReconciled', reconciled('p9', 0));
  });

  it('describes every route in /v1/openapi.json', async () => {
    const res = await httpJson(`${gw.url}/v1/openapi.json`);
    expect(res.status).toBe(200);
    const paths = res.body['paths'] as Record<string, Record<string, unknown>>;
    for (const r of GATEWAY_ROUTES) expect(paths[r.path]?.[r.method.toLowerCase()]).toBeDefined();
    expect(paths['/v1/events/ws']?.['get']).toBeDefined();
    expect((await httpJson(`${gw.url}/healthz`)).status).toBe(200);
    expect((await httpJson(`${gw.url}/readyz`)).status).toBe(200);
  });
});
