import { integrationEvents } from '@reflux/contracts';
import { PostgresEventStore } from '@reflux/event-store';
import { createDevelopmentToken, decodeGrpcError } from '@reflux/grpc';
import { PostgresEventBus } from '@reflux/messaging';
import type { refluxSupplyChainV1 as v1 } from '@reflux/proto';
import { createTestDatabase } from '@reflux/testing';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import pino from 'pino';
import { callSupplyChain, optimizeJob, supplyChainClient, type SupplyChainClient } from './adapters/grpc/supply-chain.grpc-client';
import { COORDINATION_STREAM } from './domain/coordination.decider';
import { parseNetwork } from './domain/parse-network';
import { orderStreamId } from './domain/order.decider';
import { startSupplyChainApp, type SupplyChainApp } from './supply-chain.app';
import { disruptionNetwork } from './testing/small-networks';

const SECRET = 'supply-int-secret-of-at-least-32-characters';
const integrator = createDevelopmentToken(SECRET, ['integrator'], 'erp');
const planner = createDevelopmentToken(SECRET, ['planner'], 'planner-1');
const viewer = createDevelopmentToken(SECRET, ['viewer'], 'viewer-1');
const HORIZON_START = '2026-12-01T00:00:00Z';
const NOW = new Date('2026-12-01T06:00:00Z'); // period 0

const network = parseNetwork({
  ...disruptionNetwork,
  horizon: { periods: 6, periodHours: 24, start: HORIZON_START },
  orders: [],
  sites: disruptionNetwork.sites.map((s) => (s.id === 'B' ? { ...s, plantId: 'plant-b', units: ['R-100'] } : { ...s, plantId: 'plant-a' })),
});

const order = (id: string, customerId: string, quantityT: number, duePeriod: number): v1.Order => ({ orderId: id, customerId, productId: 'P', quantityT, duePeriod, priority: 1, latenessPenaltyPerTPerPeriod: 1000, shortfallPenaltyPerT: 2000 });

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return decodeGrpcError(error);
  }
  throw new Error('the call succeeded');
}

async function eventually<T>(f: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('supply-chain service on PostgreSQL and gRPC', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  let store: PostgresEventStore;
  let bus: PostgresEventBus;
  let app: SupplyChainApp | undefined;
  let client: SupplyChainClient;

  beforeAll(async () => {
    db = await createTestDatabase('supply_chain_app');
    pool = new Pool({ connectionString: db.url, max: 3 });
    app = await startSupplyChainApp({
      databaseUrl: db.url,
      grpc: { host: '127.0.0.1', port: 0, auth: { jwt: { hs256Secrets: [SECRET], development: true } } },
      network,
      logger: pino({ enabled: false }),
      frozenPeriods: 1,
      deviationPenaltyPerT: 1,
      tripOutagePeriods: 6,
      lossDeratePeriods: 2,
      optimizeTimeLimitSeconds: 30,
      reallocationTimeLimitSeconds: 5,
      mipRelativeGap: 0.001,
      optimizeOnStart: false,
      now: () => NOW,
    });
    client = supplyChainClient(`127.0.0.1:${app.port}`);
    store = new PostgresEventStore({ pool, logger: pino({ enabled: false }) });
    bus = new PostgresEventBus({ eventStore: store, logger: pino({ enabled: false }) });
  });

  afterAll(async () => {
    client?.close();
    await app?.stop();
    await bus?.close();
    await store?.close();
    await pool?.end();
    await db?.drop();
  });

  it('counts a resent order once: the same ERP id and values change nothing', async () => {
    const first = await callSupplyChain(client, client.submitOrder, { order: order('ERP-1', 'C1', 60, 2) }, integrator);
    const again = await callSupplyChain(client, client.submitOrder, { order: order('ERP-1', 'C1', 60, 2) }, integrator);
    expect([first.created, again.created]).toEqual([true, false]);
    expect((await store.readStream(orderStreamId('ERP-1'))).map((e) => e.type)).toEqual(['OrderReceived']);
    const conflict = await failure(callSupplyChain(client, client.submitOrder, { order: order('ERP-1', 'C1', 61, 2) }, integrator));
    expect([conflict.statusName, conflict.code]).toEqual(['ALREADY_EXISTS', 'SUPPLY_CHAIN.ORDER_CONFLICT']);
    expect(app!.coordinator.openOrders()).toHaveLength(1);
  });

  it('rejects a bad order naming the proto fields, and refuses orders without the integrator role', async () => {
    const bad = await failure(callSupplyChain(client, client.submitOrder, { order: { ...order('ERP-9', 'nobody', -1, 99), productId: 'Q' } }, integrator));
    expect([bad.statusName, bad.code]).toEqual(['INVALID_ARGUMENT', 'SUPPLY_CHAIN.INVALID_ORDER']);
    expect(bad.fieldViolations.map((v) => v.field).sort()).toEqual(['order.quantity_t']);
    const unknown = await failure(callSupplyChain(client, client.submitOrder, { order: order('ERP-9', 'nobody', 5, 99) }, integrator));
    expect(unknown.fieldViolations.map((v) => v.field).sort()).toEqual(['order.customer_id', 'order.due_period']);
    expect((await failure(callSupplyChain(client, client.submitOrder, { order: order('ERP-9', 'C1', 5, 1) }, viewer))).statusName).toBe('PERMISSION_DENIED');
  });

  it('optimizes as a job with progress, publishes, and lists orders with their promised periods page by page', async () => {
    await callSupplyChain(client, client.submitOrder, { order: order('ERP-2', 'C2', 50, 3) }, integrator);
    await callSupplyChain(client, client.submitOrder, { order: order('ERP-3', 'C1', 70, 4) }, integrator);
    await callSupplyChain(client, client.changeOrder, { order: order('ERP-3', 'C1', 65, 4) }, integrator);
    const messages = await optimizeJob(client, { timeLimitS: 10, mipGapPercent: 0.1, relax: false }, planner);
    expect(messages.map((m) => m.phase)).toEqual(['OPTIMIZE_PHASE_QUEUED', 'OPTIMIZE_PHASE_FORMULATING', 'OPTIMIZE_PHASE_SOLVING', 'OPTIMIZE_PHASE_DONE']);
    const done = messages[messages.length - 1];
    expect(done.allocationId).not.toBe('');
    expect(done.columns).toBeGreaterThan(0);
    const published = await callSupplyChain(client, client.publishAllocation, { allocationId: done.allocationId }, planner);
    expect(published.siteIds.length).toBeGreaterThan(0);
    const targets = (await store.readAll({ category: 'integration-', eventTypes: ['SiteTargetsPublished'] })).map((e) => (e.data as { siteId: string }).siteId);
    expect(targets.sort()).toEqual([...published.siteIds].sort());

    const page1 = await eventually(async () => {
      const r = await callSupplyChain(client, client.listOrders, { pageSize: 2, pageToken: '', customerId: '' }, viewer);
      return r.orders.every((o) => o.allocationId === done.allocationId) ? r : undefined;
    });
    expect(page1.orders.map((o) => o.order!.orderId)).toEqual(['ERP-1', 'ERP-2']);
    expect(page1.orders.map((o) => [o.promisedPeriod <= o.order!.duePeriod && o.promisedPeriod >= 0, o.latePeriods])).toEqual([
      [true, 0],
      [true, 0],
    ]);
    const page2 = await callSupplyChain(client, client.listOrders, { pageSize: 2, pageToken: page1.nextPageToken, customerId: '' }, viewer);
    expect(page2.orders.map((o) => [o.order!.orderId, o.order!.quantityT, o.latePeriods])).toEqual([['ERP-3', 65, 0]]);
    expect(page2.nextPageToken).toBe('');
    const current = await callSupplyChain(client, client.getAllocation, { allocationId: '' }, viewer);
    expect(current.allocation).toMatchObject({ allocationId: done.allocationId, published: true });
  });

  it('re-allocates when a unit of a site trips in period 1: SiteDisrupted, then an AllocationProposed that keeps the frozen period 0', async () => {
    const before = (await callSupplyChain(client, client.getAllocation, { allocationId: '' }, viewer)).allocation!;
    expect(before.production.some((p) => p.siteId === 'B' && p.period >= 1 && p.quantityT > 0)).toBe(true);
    const eventId = randomUUID();
    const correlationId = randomUUID();
    const trip = integrationEvents.create('UnitTripped', { plantId: 'plant-b', unitId: 'R-100', area: 'reaction', trippedAt: '2026-12-02T03:00:00Z' }, { source: 'safety', subject: 'unit-R-100', eventId, correlationId });
    await bus.publish(trip);
    await bus.publish(trip); // redelivered
    const proposed = await eventually(async () => {
      const events = await store.readStream(COORDINATION_STREAM);
      const p = events.find((e) => e.type === 'AllocationProposed' && (e.data as { trigger: string }).trigger === `disruption:${eventId}`);
      return p && events;
    });
    expect(proposed.filter((e) => e.type === 'SiteDisrupted').map((e) => e.data)).toEqual([expect.objectContaining({ site: 'B', fromPeriod: 1, toPeriod: 6, availableModules: 0, source: eventId })]);
    // the causation contract: what the trip caused carries its event id and correlation id
    const caused = proposed.filter((e) => e.metadata.causationId === eventId);
    expect(caused.map((e) => [e.type, e.metadata.correlationId])).toEqual([
      ['SiteDisrupted', correlationId],
      ['AllocationProposed', correlationId],
    ]);
    // …and the proposal goes out on the bus naming the trip, for scheduling, the gateway and the trace
    const published = await eventually(async () => {
      const all = await store.readAll({ category: 'integration-', eventTypes: ['AllocationProposed'] });
      return all.find((e) => e.metadata.causationId === eventId);
    });
    expect(published.metadata.correlationId).toBe(correlationId);
    expect(published.data).toMatchObject({ trigger: `disruption:${eventId}`, frozenPeriods: 1, currency: expect.any(String) });
    const latest = (await eventually(async () => {
      const r = await callSupplyChain(client, client.getAllocation, { allocationId: 'latest' }, viewer);
      return r.allocation?.trigger === `disruption:${eventId}` ? r : undefined;
    })).allocation!;
    expect(latest.frozenPeriods).toBe(1);
    const key = (s: v1.Shipment) => `${s.laneId}|${s.materialId}|${s.departurePeriod}|${s.quantityT}`;
    expect(latest.shipments.filter((s) => s.departurePeriod < 1).map(key)).toEqual(before.shipments.filter((s) => s.departurePeriod < 1).map(key));
    expect(latest.production.filter((p) => p.siteId === 'B' && p.period >= 1 && p.quantityT > 0)).toEqual([]);
  });

  it('re-allocates on a suspected loss at a unit of site A: A makes the lost mass rate less for two periods, caused by the LossSuspected', async () => {
    const eventId = randomUUID();
    const correlationId = randomUUID();
    // 0.5 kg/s over 24 h periods: 43.2 t per period, found in period 1
    const loss = integrationEvents.create(
      'LossSuspected',
      { plantId: 'plant-a', unitId: 'V-7', window: { start: '2026-12-02T09:00:00Z', end: '2026-12-02T10:00:00Z' }, estimatedLossKgPerS: 0.5, testStatistic: 12, criticalValue: 3.8 },
      { source: 'balancing', subject: 'plant-a', eventId, correlationId },
    );
    await bus.publish(loss);
    await bus.publish(loss); // redelivered
    const events = await eventually(async () => {
      const all = await store.readStream(COORDINATION_STREAM);
      return all.some((e) => e.type === 'AllocationProposed' && (e.data as { trigger: string }).trigger === `disruption:${eventId}`) ? all : undefined;
    });
    expect(events.filter((e) => e.type === 'SiteDisrupted' && (e.data as { source: string }).source === eventId).map((e) => e.data)).toEqual([
      expect.objectContaining({ site: 'A', fromPeriod: 1, toPeriod: 3, lostTPerPeriod: 43.2 }),
    ]);
    expect(events.filter((e) => e.metadata.causationId === eventId).map((e) => [e.type, e.metadata.correlationId])).toEqual([
      ['SiteDisrupted', correlationId],
      ['AllocationProposed', correlationId],
    ]);
    const proposal = events.find((e) => e.type === 'AllocationProposed' && (e.data as { trigger: string }).trigger === `disruption:${eventId}`)!.data as { allocation: { production: { site: string; period: number; quantityT: number }[] } };
    for (const t of [1, 2]) expect(proposal.allocation.production.filter((p) => p.site === 'A' && p.period === t).reduce((q, p) => q + p.quantityT, 0)).toBeLessThanOrEqual(2 * 40 - 43.2 + 1e-6);
  });

  it('ignores a suspected gain: no capacity is removed and nothing is appended', async () => {
    const before = (await store.readStream(COORDINATION_STREAM)).length;
    const eventId = randomUUID();
    await bus.publish(integrationEvents.create('LossSuspected', { plantId: 'plant-a', unitId: 'V-7', window: { start: '2026-12-02T10:00:00Z', end: '2026-12-02T11:00:00Z' }, estimatedLossKgPerS: -0.4, testStatistic: 9, criticalValue: 3.8 }, { source: 'balancing', subject: 'plant-a', eventId }));
    // a later trip is handled, so the gain was consumed before it (one consumer group, in order)
    const marker = randomUUID();
    await bus.publish(integrationEvents.create('UnitTripped', { plantId: 'plant-b', unitId: 'R-100', area: 'reaction', trippedAt: '2026-12-03T03:00:00Z' }, { source: 'safety', subject: 'unit-R-100', eventId: marker }));
    const events = await eventually(async () => {
      const all = await store.readStream(COORDINATION_STREAM);
      return all.some((e) => e.type === 'AllocationProposed' && (e.data as { trigger: string }).trigger === `disruption:${marker}`) ? all : undefined;
    });
    expect(events.slice(before).map((e) => [e.type, e.metadata.causationId])).toEqual([
      ['SiteDisrupted', marker],
      ['AllocationProposed', marker],
    ]);
  });

  it('explains the allocation: costs, binding limits with shadow prices and a cost/CO2 list', async () => {
    const r = await callSupplyChain(client, client.explainAllocation, { allocationId: 'latest', paretoCo2Weights: [0, 1] }, viewer);
    expect(r.costs.find((c) => c.category === 'production')!.amount).toBeGreaterThan(0);
    expect(r.pareto).toHaveLength(2);
    expect(r.binding.every((b) => b.text !== '' && b.unit !== '')).toBe(true);
  });

  it('reports a lane closure and proposes an allocation that ships nothing on it in the closed periods', async () => {
    const r = await callSupplyChain(client, client.reportDisruption, { lane: { laneId: 'A-C1', fromPeriod: 1, toPeriod: 6 }, reason: 'road closed' }, planner);
    expect(r.allocation!.shipments.filter((s) => s.laneId === 'A-C1' && s.departurePeriod >= 1)).toEqual([]);
    // caused by the command: its request id (the closure's source) is the causation of both events
    const [closed, proposed] = (await store.readStream(COORDINATION_STREAM, { direction: 'backwards', maxCount: 2 })).reverse();
    expect([closed.type, proposed.type]).toEqual(['LaneClosed', 'AllocationProposed']);
    const source = (closed.data as { source: string }).source;
    expect(source).toMatch(/^request:/);
    expect([closed.metadata.causationId, proposed.metadata.causationId, proposed.metadata.actor]).toEqual([source, source, 'planner-1']);
    const bad = await failure(callSupplyChain(client, client.reportDisruption, { lane: { laneId: 'nowhere', fromPeriod: 3, toPeriod: 1 }, reason: '' }, planner));
    expect(bad.fieldViolations.map((v) => v.field).sort()).toEqual(['lane.lane_id', 'lane.to_period']);
  });
});
