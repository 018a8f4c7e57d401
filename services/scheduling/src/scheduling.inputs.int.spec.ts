import { status } from '@grpc/grpc-js';
import { integrationEvents } from '@reflux/contracts';
import { PostgresEventStore } from '@reflux/event-store';
import { createDevelopmentToken, decodeGrpcError } from '@reflux/grpc';
import { PostgresEventBus } from '@reflux/messaging';
import type { refluxSchedulingV1 as v1 } from '@reflux/proto';
import { createTestDatabase } from '@reflux/testing';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import pino from 'pino';
import { startBalancingYieldsServer } from '../test/fixtures/balancing-yields.server';
import { T0, TWO_UNIT_PLANT as PLANT, twoUnitPlantWithBalancing } from '../test/fixtures/two-unit-plant';
import { BalancingYieldsClient } from './adapters/grpc/balancing-yields.client';
import { callScheduling, optimizeAll, schedulingClient, type SchedulingClient } from './adapters/grpc/scheduling.grpc-client';
import { dateToTimestamp } from './adapters/grpc/scheduling.grpc-mapper';
import { startSchedulingApp, type SchedulingApp } from './scheduling.app';

const SECRET = 'scheduling-inputs-secret-of-at-least-32-characters';
const planner = createDevelopmentToken(SECRET, ['planner'], 'planner-1');
const viewer = createDevelopmentToken(SECRET, ['viewer'], 'viewer-1');
const integrator = createDevelopmentToken(SECRET, ['integrator'], 'mes-1');
const HOUR = 3_600_000;
const NOW = new Date(T0 + 30 * 60_000);
const iso = (ms: number) => new Date(ms).toISOString();

async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const throughputs = (s: v1.Schedule, unit: string) => s.units.find((u) => u.unitId === unit)!.periods.map((p) => Number(p.throughputT.toFixed(3)));
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

interface Harness {
  db: Awaited<ReturnType<typeof createTestDatabase>>;
  pool: Pool;
  store: PostgresEventStore;
  bus: PostgresEventBus;
  app: SchedulingApp;
  client: SchedulingClient;
}

async function harness(name: string, balancingAddress?: string, targetPenalties?: { shortfallPenaltyPerT: number; latenessPenaltyPerTPerPeriod: number }): Promise<Harness> {
  const db = await createTestDatabase(name);
  const app = await startSchedulingApp({
    databaseUrl: db.url,
    grpc: { host: '127.0.0.1', port: 0, auth: { jwt: { hs256Secrets: [SECRET], development: true } } },
    models: [{ document: twoUnitPlantWithBalancing(), origin: 'test' }],
    settings: { frozenPeriods: 2, changePenaltyPerT: 1, modeChangePenalty: 0, ...(targetPenalties && { targetPenalties }) },
    autoPublish: true,
    planOnStart: true,
    replanOnEvents: true,
    heartbeatMs: 200,
    ...(balancingAddress && { balancing: new BalancingYieldsClient({ address: balancingAddress, token: () => createDevelopmentToken(SECRET, ['viewer'], 'scheduling'), timeoutMs: 2000 }) }),
    yieldReplanThreshold: 0.02,
    logger: pino({ enabled: process.env.SCHEDULING_TEST_LOGS === '1' }),
    now: () => NOW,
  });
  const pool = new Pool({ connectionString: db.url, max: 3 });
  const store = new PostgresEventStore({ pool, logger: pino({ enabled: false }) });
  const bus = new PostgresEventBus({ eventStore: store, logger: pino({ enabled: false }) });
  const client = schedulingClient(`127.0.0.1:${app.port}`);
  await eventually(async () => (await callScheduling(client, client.getSchedule, { plantId: PLANT }, viewer)).published ?? undefined, 'the start-up schedule', 60_000);
  return { db, pool, store, bus, app, client };
}

async function close(h: Harness | undefined): Promise<void> {
  if (!h) return;
  h.client.close();
  await h.app.stop();
  await h.bus.close();
  await h.store.close();
  await h.pool.end();
  await h.db.drop();
}

const proposals = async (h: Harness) =>
  (await h.store.readAll({ category: 'integration-', eventTypes: ['ScheduleProposed'] })).map((e) => ({ eventId: e.eventId, data: e.data as { scheduleId: string; reason: string }, causationId: e.metadata.causationId, correlationId: e.metadata.correlationId }));
/** The explanation of a schedule, once the read model has it. */
const explain = (h: Harness, scheduleId: string) =>
  eventually(() => callScheduling(h.client, h.client.explainSchedule, { plantId: PLANT, scheduleId, jobId: '' }, viewer).catch(() => undefined), `schedule ${scheduleId} in the read model`);
const optimize = async (h: Harness) => {
  await h.app.jobs.idle();
  return (await optimizeAll(h.client, { plantId: PLANT, timeLimitS: 30, mipGapPercent: 0, problemJson: '' }, planner)).at(-1)!.job!;
};

describe('scheduling inputs: reconciled yields from a balancing gRPC server', () => {
  let balancing: Awaited<ReturnType<typeof startBalancingYieldsServer>>;
  let h: Harness;
  const window = (endMs: number, yieldRatio: number) => ({ start: iso(endMs - HOUR), end: iso(endMs), yields: [{ unitId: 'R-1', streamId: 's-product', yieldRatio }] });

  beforeAll(async () => {
    balancing = await startBalancingYieldsServer();
    balancing.set(window(T0 - HOUR, 0.8));
    h = await harness('scheduling_yields', balancing.address);
  });

  afterAll(async () => {
    await close(h);
    await balancing?.stop();
  });

  it('plans with fresh reconciled yields and names their origin in the yield sources', async () => {
    await h.app.jobs.idle();
    const { published } = await callScheduling(h.client, h.client.getSchedule, { plantId: PLANT }, viewer);
    const why = await explain(h, published!.scheduleId);
    const u1 = why.yieldSources.find((y) => y.unitId === 'U1')!;
    expect(u1).toMatchObject({ source: 'reconciled', origin: `balancing window ${iso(T0 - 2 * HOUR)}/${iso(T0 - HOUR)} (plant model v3)`, observedTime: dateToTimestamp(new Date(T0 - HOUR)) });
    expect(why.yieldSources.find((y) => y.unitId === 'U2')).toMatchObject({ source: 'model', note: '' });
    // 60 t of product: U1 yields 0.8 t per t it processes
    expect(0.8 * sum(throughputs(published!, 'U1')) + sum(throughputs(published!, 'U2'))).toBeCloseTo(60, 2);
    expect(balancing.calls.every((c) => c.startsWith('Bearer '))).toBe(true);
  });

  it('falls back to the model yields when the latest window is stale, saying why', async () => {
    balancing.set(window(T0 - 100 * HOUR, 0.8));
    const job = await optimize(h);
    const u1 = (await explain(h, job.scheduleId)).yieldSources.find((y) => y.unitId === 'U1')!;
    expect(u1.source).toBe('model');
    expect(u1.note).toContain('older than 72 h');
  });

  it('keeps scheduling through a balancing outage with model yields, and says so in the result', async () => {
    balancing.set('down');
    const job = await optimize(h);
    expect(job.state).toBe('JOB_STATE_COMPLETED');
    const u1 = (await explain(h, job.scheduleId)).yieldSources.find((y) => y.unitId === 'U1')!;
    expect(u1.source).toBe('model');
    expect(u1.note).toContain('balancing unavailable');
  });

  it('re-plans on BalanceReconciled only when a yield moved by more than the threshold, naming the event as cause', async () => {
    balancing.set(window(T0 - HOUR, 0.8));
    await optimize(h); // the last plan used 0.8
    const reconciled = (eventId: string, correlationId: string) =>
      integrationEvents.create(
        'BalanceReconciled',
        { plantId: PLANT, plantModelVersion: 3, window: { start: iso(T0 - HOUR), end: iso(T0) }, summary: { globalTestStatistic: 1, degreesOfFreedom: 1, criticalValue: 3.84, rejected: false, counts: { measuredStreams: 2, unmeasuredStreams: 0, balanceEquations: 1, suspectedGrossErrors: 0 } } },
        { source: 'balancing', subject: `balance-${PLANT}`, eventId, correlationId },
      );
    const before = (await proposals(h)).length;
    balancing.set(window(T0, 0.81)); // 1.25 %: below the threshold
    const calls = balancing.calls.length;
    await h.bus.publish(reconciled(randomUUID(), 'corr-small'));
    await eventually(async () => (balancing.calls.length > calls ? true : undefined), 'scheduling to read the small change');
    const big = randomUUID();
    balancing.set(window(T0, 0.9)); // 12.5 %
    await h.bus.publish(reconciled(big, 'corr-big'));
    const replans = await eventually(async () => {
      const found = (await proposals(h)).slice(before).filter((p) => p.data.reason === 'balance-reconciled');
      return found.length > 0 ? found : undefined;
    }, 'a re-plan after the reconciled window');
    await h.app.jobs.idle();
    expect((await proposals(h)).slice(before).filter((p) => p.data.reason === 'balance-reconciled')).toHaveLength(1);
    expect(replans[0]).toMatchObject({ causationId: big, correlationId: 'corr-big' });
    const u1 = (await explain(h, replans[0].data.scheduleId)).yieldSources.find((y) => y.unitId === 'U1')!;
    expect(u1).toMatchObject({ source: 'reconciled', observedTime: dateToTimestamp(new Date(T0)) });
  });
});

describe('scheduling inputs: energy prices and causation, without balancing', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await harness('scheduling_prices');
  });

  afterAll(async () => close(h));

  it('plans with model yields and says that no balancing service is configured', async () => {
    await h.app.jobs.idle();
    const { published } = await callScheduling(h.client, h.client.getSchedule, { plantId: PLANT }, viewer);
    const u1 = (await explain(h, published!.scheduleId)).yieldSources.find((y) => y.unitId === 'U1')!;
    expect(u1).toMatchObject({ source: 'model', note: expect.stringContaining('no balancing service configured') });
  });

  it('SetEnergyPrices moves production off a new peak, idempotently by request id, with field-level errors', async () => {
    await h.app.jobs.idle();
    const { published } = await callScheduling(h.client, h.client.getSchedule, { plantId: PLANT }, viewer);
    // at 50 per MWh U1 makes its 60 t in periods 0-5 (02:00 and 03:00 included)
    expect(throughputs(published!, 'U1').slice(2, 4)).toEqual([10, 10]);
    const request = { plantId: PLANT, requestId: 'tou-2026-12-07', powerPrices: [{ startTime: dateToTimestamp(new Date(T0 + 2 * HOUR)), endTime: dateToTimestamp(new Date(T0 + 4 * HOUR)), pricePerMwh: 2000 }], fuelPrices: [], co2PricePerT: 90 };
    const first = await callScheduling(h.client, h.client.setEnergyPrices, request, integrator);
    expect(first.idempotentReplay).toBe(false);
    expect(first.jobId).not.toBe('');
    const { published: after } = await eventually(async () => {
      const s = await callScheduling(h.client, h.client.getSchedule, { plantId: PLANT }, viewer);
      return s.published?.reason === 'energy-prices' ? s : undefined;
    }, 'the plan with the new prices');
    expect(after!.energy.slice(2, 4).map((e) => e.powerPricePerMwh)).toEqual([2000, 2000]);
    expect(throughputs(after!, 'U1').slice(2, 4)).toEqual([0, 0]);
    expect(sum(throughputs(after!, 'U1')) + sum(throughputs(after!, 'U2'))).toBeCloseTo(60, 3);
    const replayed = await callScheduling(h.client, h.client.setEnergyPrices, request, integrator);
    expect(replayed).toEqual({ idempotentReplay: true, jobId: '' });
    const proposal = (await proposals(h)).find((p) => p.data.scheduleId === after!.scheduleId)!;
    expect(proposal.causationId).toBe('tou-2026-12-07');
    const bad = decodeGrpcError(
      await callScheduling(h.client, h.client.setEnergyPrices, { plantId: PLANT, requestId: 'bad-1', powerPrices: [{ startTime: dateToTimestamp(new Date(T0 + 4 * HOUR)), endTime: dateToTimestamp(new Date(T0)), pricePerMwh: 10 }], fuelPrices: [{ fuelId: 'coal', startTime: dateToTimestamp(new Date(T0)), endTime: dateToTimestamp(new Date(T0 + HOUR)), pricePerMwh: 10 }], co2PricePerT: -1 }, integrator).catch((e: unknown) => e),
    );
    expect(bad.status).toBe(status.INVALID_ARGUMENT);
    expect(bad.fieldViolations.map((v) => v.field).sort()).toEqual(['co2_price_per_t', 'fuel_prices[0].fuel_id', 'power_prices[0].end_time']);
    const denied = decodeGrpcError(await callScheduling(h.client, h.client.setEnergyPrices, { ...request, requestId: 'x-1' }, viewer).catch((e: unknown) => e));
    expect(denied.status).toBe(status.PERMISSION_DENIED);
  });

  it('names the UnitTripped that caused a re-plan as causation of the ScheduleProposed, with its correlation id', async () => {
    await h.app.jobs.idle();
    const eventId = randomUUID();
    await h.bus.publish(integrationEvents.create('UnitTripped', { plantId: PLANT, unitId: 'K-1', area: 'a', trippedAt: NOW.toISOString() }, { source: 'safety', subject: `unit-${PLANT}|K-1`, eventId, correlationId: 'trip-correlation-7' }));
    const proposal = await eventually(async () => (await proposals(h)).find((p) => p.data.reason === 'unit-state:K-1'), 'the proposal after the trip');
    expect(proposal).toMatchObject({ causationId: eventId, correlationId: 'trip-correlation-7' });
  });
});

describe('scheduling inputs: supply-chain site targets', () => {
  let h: Harness;
  const capacityEvents = async () => (await h.store.readAll({ category: 'integration-', eventTypes: ['SiteCapacityChanged'] })).map((e) => ({ data: e.data as Record<string, unknown>, causationId: e.metadata.causationId, correlationId: e.metadata.correlationId }));

  beforeAll(async () => {
    // a target short is cheaper than the model's order D1 short: a trip takes its tonnes from the target
    h = await harness('scheduling_targets', undefined, { shortfallPenaltyPerT: 500, latenessPenaltyPerTPerPeriod: 10 });
  });

  afterAll(async () => close(h));

  it('plans for the targets of SiteTargetsPublished, and reports the achievable quantity once when a trip makes them unreachable', async () => {
    await h.app.jobs.idle();
    const targetsEvent = randomUUID();
    const targets = { siteId: 'site-a', plantId: PLANT, allocationId: 'alloc-1', horizonStart: iso(T0), periodHours: 8, targets: [{ processId: 'line-1', materialId: 'product', period: 0, quantityT: 60, modulesOn: 3 }, { processId: 'line-1', materialId: 'gold', period: 0, quantityT: 5, modulesOn: 1 }], publishedAt: iso(T0) };
    await h.bus.publish(integrationEvents.create('SiteTargetsPublished', targets, { source: 'supply-chain', subject: 'coordination', eventId: targetsEvent, correlationId: 'alloc-corr' }));
    const planned = await eventually(async () => (await proposals(h)).find((p) => p.data.reason === 'site-targets'), 'the plan for the targets');
    expect(planned).toMatchObject({ causationId: targetsEvent, correlationId: 'alloc-corr' });
    const { published } = await eventually(async () => {
      const s = await callScheduling(h.client, h.client.getSchedule, { plantId: PLANT }, viewer);
      return s.published?.scheduleId === planned.data.scheduleId ? s : undefined;
    }, 'the targets plan in the read model');
    // the model's 60 t order plus the 60 t target (the gold target is not a material of the plant)
    expect(sum(throughputs(published!, 'U1')) + sum(throughputs(published!, 'U2'))).toBeCloseTo(120, 3);
    await h.app.jobs.idle();
    expect(await capacityEvents()).toEqual([]);

    const trip = randomUUID();
    await h.bus.publish(integrationEvents.create('UnitTripped', { plantId: PLANT, unitId: 'K-1', area: 'a', trippedAt: NOW.toISOString() }, { source: 'safety', subject: `unit-${PLANT}|K-1`, eventId: trip, correlationId: 'trip-corr' }));
    const afterTrip = await eventually(async () => (await proposals(h)).find((p) => p.causationId === trip), 'the plan after the trip');
    const reported = await eventually(async () => ((await capacityEvents()).length > 0 ? capacityEvents() : undefined), 'SiteCapacityChanged');
    const { published: tripPlan } = await eventually(async () => {
      const s = await callScheduling(h.client, h.client.getSchedule, { plantId: PLANT }, viewer);
      return s.published?.scheduleId === afterTrip.data.scheduleId ? s : undefined;
    }, 'the trip plan in the read model');
    // U2 alone (its first two periods frozen) serves the order's 60 t first; what is left goes to the target
    const achievable = Number(Math.max(0, sum(throughputs(tripPlan!, 'U2')) - 60).toFixed(3));
    expect(achievable).toBeLessThan(60);
    expect(reported).toEqual([
      {
        data: expect.objectContaining({ siteId: 'site-a', processId: 'line-1', fromPeriod: 0, toPeriod: 1, availableModules: Math.floor((3 * achievable) / 60), achievableT: achievable, targetT: 60 }),
        causationId: afterTrip.eventId,
        correlationId: 'trip-corr',
      },
    ]);

    // a re-plan that reaches the same quantities says nothing again
    await optimize(h);
    await h.app.jobs.idle();
    expect(await capacityEvents()).toHaveLength(1);
  });
});
