import { createTestDatabase, freePort } from '@reflux/testing';
import { Pool } from 'pg';
import type { GatewayApp } from './gateway.app';
import { httpJson, startTestGateway, token, writerStore } from '../test/gateway-test.support';
import { KNOWN_HORIZON_START, startKnownUpstreams, type KnownUpstreams } from '../test/known-upstreams.support';

const PLANT = 'plan-plant';
const viewer = () => ({ authorization: `Bearer ${token(['viewer'])}` });

describe('schedule and allocation snapshots read from scheduling and supply chain over gRPC', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let upstreams: KnownUpstreams;
  let empty: KnownUpstreams;
  let gw: GatewayApp;

  beforeAll(async () => {
    db = await createTestDatabase('gateway_planning');
    const pool = new Pool({ connectionString: db.url, max: 1 });
    await (await writerStore(pool)).close();
    await pool.end();
    upstreams = await startKnownUpstreams({ plantId: PLANT, balanceWindowStartMs: KNOWN_HORIZON_START });
    empty = await startKnownUpstreams({ plantId: PLANT, balanceWindowStartMs: KNOWN_HORIZON_START, allocation: false });
    gw = await startTestGateway(db.url, { upstreams: { scheduling: upstreams.scheduling, supplyChain: upstreams.supplyChain }, defaultPlantId: PLANT });
  });
  afterAll(async () => {
    await gw?.stop();
    await upstreams?.stop();
    await empty?.stop();
    await db?.drop();
  });

  it('gives the published schedule and the newer proposal of the default plant: each unit’s mode per period, the frozen window, times in ISO-8601', async () => {
    const res = await httpJson(`${gw.url}/v1/snapshot/schedule`, { headers: viewer() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ available: true, service: 'scheduling', plantId: PLANT });
    const published = res.body['published'] as Record<string, unknown>;
    const proposed = res.body['proposed'] as Record<string, unknown>;
    expect(published).toMatchObject({ scheduleId: 'sched-1', state: 'published', horizonStart: new Date(KNOWN_HORIZON_START).toISOString(), periods: 8, periodHours: 1, frozenPeriods: 2, publishedBy: 'planner-paula' });
    expect(proposed).toMatchObject({ scheduleId: 'sched-2', state: 'proposed', reason: 'unit-state:HDT-1' });
    expect(proposed['publishedAt']).toBeUndefined();
    const cdu = (proposed['units'] as { unitId: string; periods: Record<string, unknown>[] }[]).find((u) => u.unitId === 'CDU-1')!;
    expect(cdu.periods.map((p) => p['modeId'])).toEqual(['crude-light', 'crude-light', 'crude-light', '', 'crude-heavy', 'crude-heavy', 'crude-heavy', 'crude-heavy']);
    expect(cdu.periods[4]).toEqual({ period: 4, start: new Date(KNOWN_HORIZON_START + 4 * 3600_000).toISOString(), modeId: 'crude-heavy', throughputT: 44, changingOver: false, available: true });
  });

  it('passes the service’s own answer on for a plant it does not know (404 with the field), and refuses a malformed plant id before calling', async () => {
    const unknown = await httpJson(`${gw.url}/v1/snapshot/schedule?plantId=other-plant`, { headers: viewer() });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 'NOT_FOUND', violations: [{ field: 'plant_id', description: 'unknown plant' }] });
    const bad = await httpJson(`${gw.url}/v1/snapshot/schedule?plantId=${encodeURIComponent('a b;<x>')}`, { headers: viewer() });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'GATEWAY.INVALID_ARGUMENT', violations: [{ field: 'plantId' }] });
  });

  it('gives the current allocation: production per site, material and period, shipments per lane, order promises with their late periods', async () => {
    const res = await httpJson(`${gw.url}/v1/snapshot/allocation`, { headers: viewer() });
    expect(res.status).toBe(200);
    const a = res.body['allocation'] as Record<string, unknown>;
    expect(a).toMatchObject({ allocationId: 'alloc-7', published: false, periodHours: 24, frozenPeriods: 1, horizonStart: new Date(KNOWN_HORIZON_START).toISOString() });
    expect(a['production']).toContainEqual({ siteId: 'modular-a', processId: 'pyrolysis', materialId: 'pyrolysis-oil', period: 1, quantityT: 15.5, modulesOn: 2 });
    expect(a['shipments']).toEqual([{ laneId: 'rotterdam->antwerp', materialId: 'ethylene', departurePeriod: 0, arrivalPeriod: 1, quantityT: 80 }]);
    expect(a['orders']).toContainEqual({ orderId: 'ERP-1002', promisedPeriod: 3, latePeriods: 2, shortfallT: 5, deliveredT: 45 });
  });

  it('answers allocation null (not an error) before supply chain has made its first allocation', async () => {
    const other = await startTestGateway(db.url, { upstreams: { supplyChain: empty.supplyChain } });
    try {
      const res = await httpJson(`${other.url}/v1/snapshot/allocation`, { headers: viewer() });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ available: true, allocation: null });
      expect(String(res.body['message'])).toMatch(/no allocation yet/);
    } finally {
      await other.stop();
    }
  });

  it('answers 503 "service not available" when scheduling or supply chain is configured but not reachable', async () => {
    const nowhere = `127.0.0.1:${await freePort()}`;
    const other = await startTestGateway(db.url, { upstreams: { scheduling: nowhere, supplyChain: nowhere }, defaultPlantId: PLANT, upstreamTimeoutMs: 2000 });
    try {
      for (const [kind, service] of [['schedule', 'scheduling'], ['allocation', 'supply-chain']]) {
        const res = await httpJson(`${other.url}/v1/snapshot/${kind}`, { headers: viewer() });
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({ code: 'GATEWAY.SERVICE_NOT_AVAILABLE' });
        expect(String(res.body['message'])).toContain(`${service} service not available`);
      }
    } finally {
      await other.stop();
    }
  });

  it('forwards the caller’s token: a caller without a reading role is refused by the service (403), without a token by the gateway (401)', async () => {
    const ingestOnly = await httpJson(`${gw.url}/v1/snapshot/schedule`, { headers: { authorization: `Bearer ${token(['ingest'])}` } });
    expect(ingestOnly.status).toBe(403);
    expect(ingestOnly.body).toMatchObject({ status: 'PERMISSION_DENIED' });
    expect((await httpJson(`${gw.url}/v1/snapshot/allocation`)).status).toBe(401);
  });
});
