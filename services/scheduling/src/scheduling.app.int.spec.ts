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
import { T0, TWO_UNIT_PLANT as PLANT, twoUnitPlant } from '../test/fixtures/two-unit-plant';
import { bearer, callScheduling, optimizeAll, schedulingClient, type SchedulingClient } from './adapters/grpc/scheduling.grpc-client';
import { dateToTimestamp } from './adapters/grpc/scheduling.grpc-mapper';
import { AdvisoryPlantLock } from './adapters/postgres/advisory-plant-lock';
import { inputsStreamId } from './application/plant-inputs';
import { generateInstance } from './testing/generate-instance';
import { startSchedulingApp, type SchedulingApp } from './scheduling.app';

const SECRET = 'scheduling-int-secret-of-at-least-32-characters';
const planner = createDevelopmentToken(SECRET, ['planner'], 'planner-1');
const viewer = createDevelopmentToken(SECRET, ['viewer'], 'viewer-1');
const integrator = createDevelopmentToken(SECRET, ['integrator'], 'mes-1');
const NOW = new Date(T0 + 30 * 60_000);

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return decodeGrpcError(error);
  }
  throw new Error('the call succeeded');
}

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

describe('scheduling service on PostgreSQL and gRPC', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Pool;
  let store: PostgresEventStore;
  let bus: PostgresEventBus;
  let app: SchedulingApp | undefined;
  let client: SchedulingClient;

  const start = async () => {
    app = await startSchedulingApp({
      databaseUrl: db.url,
      grpc: { host: '127.0.0.1', port: 0, auth: { jwt: { hs256Secrets: [SECRET], development: true } } },
      models: [{ document: twoUnitPlant(), origin: 'test' }],
      settings: { frozenPeriods: 2, changePenaltyPerT: 1, modeChangePenalty: 0 },
      autoPublish: false,
      planOnStart: true,
      replanOnEvents: true,
      heartbeatMs: 200,
      logger: pino({ enabled: false }),
      now: () => NOW,
    });
    client = schedulingClient(`127.0.0.1:${app.port}`);
  };
  const schedules = () => callScheduling(client, client.getSchedule, { plantId: PLANT }, viewer);

  beforeAll(async () => {
    db = await createTestDatabase('scheduling_app');
    pool = new Pool({ connectionString: db.url, max: 3 });
    await start();
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

  it('publishes the first schedule of a plant at start-up: U1 (cheap) makes the 60 t', async () => {
    const { published } = await eventually(async () => ((await schedules()).published ? schedules() : undefined), 'the start-up schedule');
    expect(published!.state).toBe('SCHEDULE_STATE_PUBLISHED');
    expect(published!.reason).toBe('startup');
    expect(published!.publishedBy).toBe('system');
    expect(throughputs(published!, 'U1').reduce((s, x) => s + x, 0)).toBeCloseTo(60, 3);
    expect(throughputs(published!, 'U2').every((x) => x === 0)).toBe(true);
    expect(published!.units[0].periods[0].startTime).toEqual(dateToTimestamp(new Date(T0)));
  });

  it('runs Optimize as a job streamed to completion, keeps it for GetJob and offers its schedule as a proposal', async () => {
    await app!.jobs.idle();
    const stream = await optimizeAll(client, { plantId: PLANT, timeLimitS: 30, mipGapPercent: 0, problemJson: '' }, planner);
    const last = stream[stream.length - 1].job!;
    expect(stream[0].job!.state).toBe('JOB_STATE_RUNNING');
    expect(last).toMatchObject({ state: 'JOB_STATE_COMPLETED', solverStatus: 'optimal', trigger: 'request', requestedBy: 'planner-1', currency: 'EUR' });
    // crude 6,000 + power 4 MWh × 50 (00:00-04:00) + 2 MWh × 500
    expect(last.objective).toBeCloseTo(6000 + 200 + 1000, 3);
    const { job } = await callScheduling(client, client.getJob, { jobId: last.jobId }, viewer);
    expect(job).toMatchObject({ state: 'JOB_STATE_COMPLETED', scheduleId: last.scheduleId });
    const { proposed } = await eventually(async () => ((await schedules()).proposed?.scheduleId === last.scheduleId ? schedules() : undefined), 'the proposal');
    expect(proposed!.state).toBe('SCHEDULE_STATE_PROPOSED');
    expect(proposed!.energy).toHaveLength(8);
    expect(proposed!.costBreakdown.rawMaterials).toBeCloseTo(6000, 3);
    const why = await callScheduling(client, client.explainSchedule, { plantId: PLANT, scheduleId: last.scheduleId, jobId: '' }, viewer);
    expect(why.bindingConstraints.some((b) => b.constraint === 'demand:D1')).toBe(true);
  });

  it('lets only planners publish, names the missing field, and supersedes the schedule in force', async () => {
    const { published, proposed } = await schedules();
    const denied = await failure(callScheduling(client, client.publishSchedule, { plantId: PLANT, scheduleId: proposed!.scheduleId }, viewer));
    expect(denied.status).toBe(status.PERMISSION_DENIED);
    const missing = await failure(callScheduling(client, client.publishSchedule, { plantId: '', scheduleId: '' }, planner));
    expect(missing.status).toBe(status.INVALID_ARGUMENT);
    expect(missing.fieldViolations.map((v) => v.field).sort()).toEqual(['plant_id', 'schedule_id']);
    const unknown = await failure(callScheduling(client, client.publishSchedule, { plantId: PLANT, scheduleId: 'no-such-schedule' }, planner));
    expect(unknown).toMatchObject({ status: status.NOT_FOUND, code: 'SCHEDULING.SCHEDULE_NOT_FOUND' });
    const done = await callScheduling(client, client.publishSchedule, { plantId: PLANT, scheduleId: proposed!.scheduleId }, planner);
    expect(done.supersededScheduleId).toBe(published!.scheduleId);
    expect(done.schedule!.publishedBy).toBe('planner-1');
    const old = await failure(callScheduling(client, client.publishSchedule, { plantId: PLANT, scheduleId: published!.scheduleId }, planner));
    expect(old).toMatchObject({ status: status.FAILED_PRECONDITION, code: 'SCHEDULING.SCHEDULE_SUPERSEDED' });
    const integration = await store.readAll({ category: 'integration-', eventTypes: ['ScheduleSuperseded'] });
    expect(integration.map((e) => e.data)).toEqual([expect.objectContaining({ plantId: PLANT, scheduleId: published!.scheduleId, supersededBy: proposed!.scheduleId })]);
  });

  it('refuses a second optimisation of a plant while another replica holds its lock, naming plant_id, and runs once it is free', async () => {
    await app!.jobs.idle();
    const otherReplica = await new AdvisoryPlantLock(pool).tryAcquire(PLANT);
    expect(otherReplica).toBeDefined();
    const busy = await failure(optimizeAll(client, { plantId: PLANT, timeLimitS: 0, mipGapPercent: 0, problemJson: '' }, planner));
    expect(busy).toMatchObject({ status: status.ABORTED, code: 'SCHEDULING.OPTIMIZATION_RUNNING', retriable: true });
    expect(busy.fieldViolations.map((v) => v.field)).toEqual(['plant_id']);
    await otherReplica!.release();
    const stream = await optimizeAll(client, { plantId: PLANT, timeLimitS: 0, mipGapPercent: 0, problemJson: '' }, planner);
    expect(stream[stream.length - 1].job!.state).toBe('JOB_STATE_COMPLETED');
  });

  it('refuses two concurrent Optimize calls on one replica: one runs, the other is told the plant is busy', async () => {
    await app!.jobs.idle();
    const request = { plantId: PLANT, timeLimitS: 0, mipGapPercent: 0, problemJson: '' };
    const outcomes = await Promise.allSettled([optimizeAll(client, request, planner), optimizeAll(client, request, planner)]);
    const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => decodeGrpcError((o as PromiseRejectedResult).reason));
    const ran = outcomes.filter((o) => o.status === 'fulfilled');
    expect(ran.length).toBeGreaterThanOrEqual(1);
    // the lock is taken before the first job is stored, so the second either waits its turn (finished already) or is refused
    for (const r of refused) expect(r).toMatchObject({ status: status.ABORTED, code: 'SCHEDULING.OPTIMIZATION_RUNNING' });
  });

  it('cancels a running job: the solver stops, the job reads cancelled and nothing is proposed', async () => {
    await app!.jobs.idle();
    // the 12 × 6 × 48 benchmark MILP needs tens of seconds: it is still solving when cancelled
    const problemJson = JSON.stringify({ ...generateInstance({ products: 12, units: 6, periods: 48, formulation: 'milp' }), plant: PLANT });
    const call = client.optimize({ plantId: PLANT, timeLimitS: 120, mipGapPercent: 0, problemJson }, bearer(planner));
    const seen: v1.OptimizeResponse[] = [];
    const ended = new Promise<void>((resolve, reject) => {
      call.on('data', (m: v1.OptimizeResponse) => seen.push(m));
      call.on('error', reject);
      call.on('end', resolve);
    });
    const running = await eventually(async () => seen[0]?.job ?? undefined, 'the job to start');
    expect(running.state).toBe('JOB_STATE_RUNNING');
    const t0 = Date.now();
    const { job } = await callScheduling(client, client.cancelJob, { jobId: running.jobId }, planner);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(job).toMatchObject({ state: 'JOB_STATE_CANCELLED', scheduleId: '' });
    await ended;
    expect(seen[seen.length - 1].job!.state).toBe('JOB_STATE_CANCELLED');
    expect((await callScheduling(client, client.getJob, { jobId: running.jobId }, viewer)).job!.state).toBe('JOB_STATE_CANCELLED');
    const proposals = (await store.readStream(`schedule-${PLANT}`)).filter((e) => e.type === 'ScheduleProposed').map((e) => (e.data as { jobId: string }).jobId);
    expect(proposals.length).toBeGreaterThan(0);
    expect(proposals).not.toContain(running.jobId);
    const again = await failure(callScheduling(client, client.cancelJob, { jobId: running.jobId }, planner));
    expect(again).toMatchObject({ status: status.FAILED_PRECONDITION, code: 'SCHEDULING.JOB_FINISHED' });
  });

  it('re-plans on a UnitTripped event: the proposal leaves the stopped unit out and keeps the frozen window of the published schedule', async () => {
    await app!.jobs.idle();
    const { published } = await schedules();
    const eventId = randomUUID();
    await bus.publish(integrationEvents.create('UnitTripped', { plantId: PLANT, unitId: 'K-1', area: 'a', trippedAt: NOW.toISOString() }, { source: 'safety', subject: `unit-${PLANT}|K-1`, eventId }));
    const { proposed } = await eventually(async () => {
      const s = await schedules();
      return s.proposed?.reason === 'unit-state:K-1' ? s : undefined;
    }, 'a proposal after the trip');
    expect(proposed!.unavailableUnitIds).toEqual(['U1']);
    expect(throughputs(proposed!, 'U1').every((x) => x === 0)).toBe(true);
    expect(proposed!.units.find((u) => u.unitId === 'U1')!.periods.every((p) => !p.available)).toBe(true);
    // frozen window: U2 keeps its published throughput (none) in the first two periods, although power is cheapest there
    expect(throughputs(published!, 'U2').slice(0, 2)).toEqual([0, 0]);
    expect(throughputs(proposed!, 'U2')).toEqual([0, 0, 10, 10, 10, 10, 10, 10]);
    expect(throughputs(proposed!, 'U2').reduce((s, x) => s + x, 0)).toBeCloseTo(60, 3);
    expect(proposed!.frozenPeriods).toBe(2);
    const events = await store.readAll({ category: 'integration-', eventTypes: ['ScheduleProposed'] });
    expect(events.map((e) => e.data)).toContainEqual(expect.objectContaining({ scheduleId: proposed!.scheduleId, unavailableUnitIds: ['U1'], reason: 'unit-state:K-1' }));
    // the published schedule stays in force until a planner publishes (SCHEDULING_AUTO_PUBLISH is off)
    expect((await schedules()).published!.scheduleId).toBe(published!.scheduleId);
  });

  it('applies SetDemands once per request id: a repeat is a replay, other content under the same id is refused', async () => {
    await app!.jobs.idle();
    const demand = { demandId: 'D2', materialId: 'product', quantityT: 30, dueTime: dateToTimestamp(new Date(T0 + 6 * 3_600_000)), releaseTime: null, priority: 1, latenessPenaltyPerTPerPeriod: 10, shortfallPenaltyPerT: 1000 };
    const request = { plantId: PLANT, requestId: 'erp-order-batch-1', demands: [demand] };
    const first = await callScheduling(client, client.setDemands, request, integrator);
    expect(first.idempotentReplay).toBe(false);
    expect(first.jobId).not.toBe('');
    await app!.jobs.idle();
    const again = await callScheduling(client, client.setDemands, request, integrator);
    expect(again).toEqual({ idempotentReplay: true, jobId: '' });
    const reused = await failure(callScheduling(client, client.setDemands, { ...request, demands: [{ ...demand, quantityT: 31 }] }, integrator));
    expect(reused).toMatchObject({ status: status.ALREADY_EXISTS, code: 'SCHEDULING.REQUEST_ID_REUSED' });
    expect(reused.fieldViolations.map((v) => v.field)).toEqual(['request_id']);
    expect((await store.readStream(inputsStreamId(PLANT))).filter((e) => e.type === 'DemandsSet')).toHaveLength(1);
    const bad = await failure(callScheduling(client, client.setDemands, { plantId: PLANT, requestId: '', demands: [{ ...demand, materialId: 'gold', quantityT: -1 }] }, integrator));
    expect(bad.status).toBe(status.INVALID_ARGUMENT);
    expect(bad.fieldViolations.map((v) => v.field).sort()).toEqual(['demands[0].quantity_t', 'request_id']);
    expect((await failure(callScheduling(client, client.setDemands, request, viewer))).status).toBe(status.PERMISSION_DENIED);
    const { job } = await callScheduling(client, client.getJob, { jobId: first.jobId }, viewer);
    const { proposed } = await schedules();
    expect(job!.state).toBe('JOB_STATE_COMPLETED');
    expect(proposed!.scheduleId).toBe(job!.scheduleId);
    expect(throughputs(proposed!, 'U2').reduce((s, x) => s + x, 0)).toBeCloseTo(30, 3);
  });

  it('reports a job that was running when its replica stopped as aborted after a restart', async () => {
    await app!.jobs.idle();
    const jobId = randomUUID();
    await pool.query(`INSERT INTO scheduling_jobs (job_id, plant_id, state, trigger, phase, requested_by, created_at, heartbeat_at) VALUES ($1, $2, 'running', 'request', 'solving', 'planner-1', now(), now() - interval '1 hour')`, [jobId, PLANT]);
    client.close();
    await app!.stop();
    await start();
    const { job } = await callScheduling(client, client.getJob, { jobId }, viewer);
    expect(job).toMatchObject({ state: 'JOB_STATE_ABORTED', message: 'the replica running it stopped' });
    const { rows } = await pool.query('SELECT state FROM scheduling_jobs WHERE job_id = $1', [jobId]);
    expect(rows[0].state).toBe('aborted');
    const unknown = await failure(callScheduling(client, client.getJob, { jobId: randomUUID() }, viewer));
    expect(unknown.status).toBe(status.NOT_FOUND);
  });
});
