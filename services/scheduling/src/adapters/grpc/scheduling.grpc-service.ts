import { serverStream, unary, type ServiceImplementation } from '@reflux/grpc';
import type { refluxSchedulingV1 as v1 } from '@reflux/proto';
import type { JobRecord, JobStore } from '../../application/job-store.port';
import { FINISHED_JOB_STATES } from '../../application/job-store.port';
import type { PlantModel } from '../../application/optimization-jobs';
import { loadInputs } from '../../application/plant-inputs';
import { reportUnitState, setDemands, setEnergyPrices, type ReportInputsDeps } from '../../application/report-inputs';
import type { ScheduleBook } from '../../application/schedule-book';
import type { OpenDemand } from '../../domain/replan';
import { invalidRequest, SchedulingError, SchedulingErrorCode, type FieldViolation } from '../../domain/scheduling.errors';
import type { ScheduleReadModel } from '../postgres/schedule-read-model.queries';
import { energyPricesOf } from './energy-prices.grpc-request';
import { explanationOf, jobOf, scheduleOf, timestampToDate, unitStateFromProto, unitStateToProto } from './scheduling.grpc-mapper';

export const SCHEDULING_PROTO = 'reflux/scheduling/v1/scheduling.proto';
export const SCHEDULING_SERVICE = 'reflux.scheduling.v1.SchedulingService';

const PLANNERS = ['planner'] as const;
const INTEGRATORS = ['integrator'] as const;
const READERS = ['viewer', 'operator', 'planner', 'integrator'] as const;
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/;

export interface SchedulingGrpcDeps extends ReportInputsDeps {
  readonly jobStore: JobStore;
  readonly books: ReadonlyMap<string, ScheduleBook>;
  readonly readModel: ScheduleReadModel;
}

/** The SchedulingService RPCs (admins pass every role check). */
export function schedulingServiceImplementation(deps: SchedulingGrpcDeps): ServiceImplementation {
  const plantOf = (plantId: string, violations: FieldViolation[] = []): PlantModel => {
    if (plantId === '') violations.push({ field: 'plant_id', description: 'is required' });
    if (violations.length > 0) throw invalidRequest(violations);
    const model = deps.models.get(plantId);
    if (!model) throw new SchedulingError(SchedulingErrorCode.plantNotFound, `no production model for plant "${plantId}"`, [{ field: 'plant_id', description: `unknown plant; configured: ${[...deps.models.keys()].join(', ')}` }]);
    return model;
  };
  const requestIdOf = (requestId: string, violations: FieldViolation[]): void => {
    if (!REQUEST_ID.test(requestId)) violations.push({ field: 'request_id', description: 'is required: 1-200 letters, digits and . _ : / - (the idempotency key)' });
  };
  const jobOrThrow = async (jobId: string): Promise<JobRecord> => {
    if (jobId === '') throw invalidRequest([{ field: 'job_id', description: 'is required' }]);
    const job = await deps.jobStore.get(jobId).catch(() => undefined);
    if (!job) throw new SchedulingError(SchedulingErrorCode.jobNotFound, `no job "${jobId}"`, [{ field: 'job_id', description: 'unknown job' }]);
    return job;
  };

  return {
    Optimize: serverStream<v1.OptimizeRequest, v1.OptimizeResponse>(PLANNERS, async function* (request, ctx) {
      const violations: FieldViolation[] = [];
      if (!(request.timeLimitS >= 0 && request.timeLimitS <= 3600)) violations.push({ field: 'time_limit_s', description: 'must be 0 (the model’s own) to 3600 s' });
      if (!(request.mipGapPercent >= 0 && request.mipGapPercent <= 100)) violations.push({ field: 'mip_gap_percent', description: 'must be 0 (the model’s own) to 100 %' });
      let problem: unknown;
      if (request.problemJson !== '') {
        try {
          problem = JSON.parse(request.problemJson);
        } catch (error) {
          violations.push({ field: 'problem_json', description: `is not JSON: ${(error as Error).message}` });
        }
      }
      plantOf(request.plantId, violations);
      if (problem !== undefined && (problem as { plant?: unknown }).plant !== request.plantId)
        throw invalidRequest([{ field: 'problem_json', description: `its "plant" must be ${request.plantId}` }]);
      const queue: JobRecord[] = [];
      let wake: (() => void) | undefined;
      let job = await deps.jobs.start({
        plantId: request.plantId,
        trigger: 'request',
        requestedBy: ctx.principal.subject,
        ...(request.timeLimitS > 0 && { timeLimitSeconds: request.timeLimitS }),
        ...(request.mipGapPercent > 0 && { mipGapPercent: request.mipGapPercent }),
        ...(problem !== undefined && { problem }),
        correlationId: ctx.traceId,
      });
      const unsubscribe = deps.jobs.watch(job.jobId, (j) => {
        queue.push(j);
        wake?.();
      });
      const aborted = new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      try {
        yield { job: jobOf(job) };
        if (!unsubscribe) job = (await deps.jobStore.get(job.jobId)) ?? job;
        while (unsubscribe && !FINISHED_JOB_STATES.has(job.state) && !ctx.signal.aborted) {
          if (queue.length === 0) await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
          wake = undefined;
          while (queue.length > 0) {
            job = queue.shift()!;
            yield { job: jobOf(job) };
          }
        }
        if (!unsubscribe) yield { job: jobOf(job) };
      } finally {
        unsubscribe?.();
      }
    }),

    GetJob: unary<v1.GetJobRequest, v1.GetJobResponse>(READERS, async (request) => ({ job: jobOf(await jobOrThrow(request.jobId)) })),

    CancelJob: unary<v1.CancelJobRequest, v1.CancelJobResponse>(PLANNERS, async (request) => {
      await jobOrThrow(request.jobId);
      return { job: jobOf(await deps.jobs.cancel(request.jobId)) };
    }),

    GetSchedule: unary<v1.GetScheduleRequest, v1.GetScheduleResponse>(READERS, async (request) => {
      plantOf(request.plantId);
      const { published, proposed } = await deps.readModel.current(request.plantId);
      return { published: published ? scheduleOf(published) : null, proposed: proposed ? scheduleOf(proposed) : null };
    }),

    PublishSchedule: unary<v1.PublishScheduleRequest, v1.PublishScheduleResponse>(PLANNERS, async (request, ctx) => {
      const violations: FieldViolation[] = [];
      if (request.scheduleId === '') violations.push({ field: 'schedule_id', description: 'is required' });
      plantOf(request.plantId, violations);
      const book = deps.books.get(request.plantId)!;
      await book.load();
      const events = await book.execute([{ type: 'Publish', data: { scheduleId: request.scheduleId, by: ctx.principal.subject, at: new Date().toISOString() } }], ctx.principal.subject, { correlationId: ctx.traceId });
      const superseded = events.find((e) => e.type === 'ScheduleSuperseded');
      const proposal = book.published()!;
      return {
        schedule: scheduleOf({ plantId: request.plantId, status: 'published', position: 0, publishedBy: ctx.principal.subject, publishedAt: new Date(), proposal }),
        supersededScheduleId: superseded?.data.scheduleId ?? '',
      };
    }),

    ExplainSchedule: unary<v1.ExplainScheduleRequest, v1.ExplainScheduleResponse>(READERS, async (request) => {
      plantOf(request.plantId);
      if (request.scheduleId === '' && request.jobId !== '') {
        const job = await jobOrThrow(request.jobId);
        if (job.plantId !== request.plantId) throw new SchedulingError(SchedulingErrorCode.jobNotFound, `job ${job.jobId} is not of plant ${request.plantId}`, [{ field: 'job_id', description: 'belongs to another plant' }]);
        const view = job.scheduleId ? await deps.readModel.byId(request.plantId, job.scheduleId) : undefined;
        if (view) return explanationOf(view.proposal.result, view.proposal.scheduleId, job.jobId);
        if (job.result) return explanationOf(job.result, '', job.jobId);
        throw new SchedulingError(SchedulingErrorCode.scheduleNotFound, `job ${job.jobId} has no result yet (${job.state})`, [{ field: 'job_id', description: `no result: ${job.state}` }]);
      }
      const current = await deps.readModel.current(request.plantId);
      const view = request.scheduleId !== '' ? await deps.readModel.byId(request.plantId, request.scheduleId) : (current.proposed ?? current.published);
      if (!view) throw new SchedulingError(SchedulingErrorCode.scheduleNotFound, `no schedule "${request.scheduleId}" for plant ${request.plantId}`, [{ field: 'schedule_id', description: 'unknown schedule' }]);
      return explanationOf(view.proposal.result, view.proposal.scheduleId, view.proposal.jobId);
    }),

    SetDemands: unary<v1.SetDemandsRequest, v1.SetDemandsResponse>(INTEGRATORS, async (request, ctx) => {
      const violations: FieldViolation[] = [];
      requestIdOf(request.requestId, violations);
      const demands: OpenDemand[] = request.demands.map((d, i) => {
        const f = `demands[${i}]`;
        if (d.demandId === '') violations.push({ field: `${f}.demand_id`, description: 'is required' });
        if (!(d.quantityT > 0 && Number.isFinite(d.quantityT))) violations.push({ field: `${f}.quantity_t`, description: 'must be a positive number of tonnes' });
        const due = d.dueTime ? timestampToDate(d.dueTime) : undefined;
        if (!due) violations.push({ field: `${f}.due_time`, description: 'is required' });
        const release = d.releaseTime ? timestampToDate(d.releaseTime) : undefined;
        if (release && due && release > due) violations.push({ field: `${f}.release_time`, description: 'is after due_time' });
        if (d.priority < 0 || d.priority > 10) violations.push({ field: `${f}.priority`, description: 'must be 1 (most important) to 10, or 0 for 1' });
        if (!(d.latenessPenaltyPerTPerPeriod >= 0)) violations.push({ field: `${f}.lateness_penalty_per_t_per_period`, description: 'must not be negative' });
        if (!(d.shortfallPenaltyPerT >= 0)) violations.push({ field: `${f}.shortfall_penalty_per_t`, description: 'must not be negative' });
        return {
          id: d.demandId,
          material: d.materialId,
          quantityT: d.quantityT,
          dueAt: (due ?? new Date(0)).toISOString(),
          ...(release && { releaseAt: release.toISOString() }),
          priority: d.priority === 0 ? 1 : d.priority,
          latenessPenaltyPerTPerPeriod: d.latenessPenaltyPerTPerPeriod,
          shortfallPenaltyPerT: d.shortfallPenaltyPerT,
        };
      });
      plantOf(request.plantId, violations);
      const result = await setDemands(deps, request.plantId, request.requestId, demands, ctx.principal.subject);
      return { idempotentReplay: result.idempotentReplay, jobId: result.jobId ?? '' };
    }),

    ReportUnitState: unary<v1.ReportUnitStateRequest, v1.ReportUnitStateResponse>(INTEGRATORS, async (request, ctx) => {
      const violations: FieldViolation[] = [];
      requestIdOf(request.requestId, violations);
      if (request.unitId === '') violations.push({ field: 'unit_id', description: 'is required' });
      const state = unitStateFromProto(request.state);
      if (!state) violations.push({ field: 'state', description: 'is required (running, startup, shutdown, maintenance or tripped)' });
      const at = request.changeTime ? timestampToDate(request.changeTime) : undefined;
      if (!at) violations.push({ field: 'change_time', description: 'is required (when the unit changed state; it makes a retried report identical)' });
      const back = request.expectedReturnTime ? timestampToDate(request.expectedReturnTime) : undefined;
      if (back && at && back <= at) violations.push({ field: 'expected_return_time', description: 'must be after change_time' });
      const model = plantOf(request.plantId, violations);
      const known = model.document.units.some((u) => u.id === request.unitId || (u.equipment ?? []).includes(request.unitId)) || [...(model.document.energy.boilers ?? []), ...(model.document.energy.turbines ?? []), ...(model.document.energy.letdowns ?? [])].some((e) => e.id === request.unitId);
      if (!known) throw invalidRequest([{ field: 'unit_id', description: `not a unit, machine (equipment) or energy unit of the production model of ${request.plantId}` }]);
      const result = await reportUnitState(
        deps,
        { plantId: request.plantId, requestId: request.requestId, unitId: request.unitId, state: state!, at: at!.toISOString(), ...(back && { expectedReturnAt: back.toISOString() }), reason: request.reason },
        ctx.principal.subject,
      );
      return { idempotentReplay: result.idempotentReplay, jobId: result.jobId ?? '', affectedUnitIds: result.affectedUnitIds };
    }),

    SetEnergyPrices: unary<v1.SetEnergyPricesRequest, v1.SetEnergyPricesResponse>(INTEGRATORS, async (request, ctx) => {
      const violations: FieldViolation[] = [];
      requestIdOf(request.requestId, violations);
      const prices = energyPricesOf(request, violations);
      plantOf(request.plantId, violations);
      const result = await setEnergyPrices(deps, request.plantId, request.requestId, prices, ctx.principal.subject, { causationId: request.requestId, ...(ctx.traceId && { correlationId: ctx.traceId }) });
      return { idempotentReplay: result.idempotentReplay, jobId: result.jobId ?? '' };
    }),

    ListModes: unary<v1.ListModesRequest, v1.ListModesResponse>(READERS, async (request) => {
      const model = plantOf(request.plantId);
      const inputs = await loadInputs(deps.store, request.plantId);
      const stateOf = (unit: { id: string; equipment?: string[] }) => {
        const reports = inputs.unitStates.filter((s) => s.id === unit.id || (unit.equipment ?? []).includes(s.id));
        const down = reports.find((s) => s.state !== 'running' && s.state !== 'startup');
        return unitStateToProto(down?.state ?? reports[0]?.state ?? 'running');
      };
      return {
        units: model.document.units.map((u) => ({
          unitId: u.id,
          name: u.name ?? '',
          state: stateOf(u),
          equipmentIds: [...(u.equipment ?? [])],
          modes: u.modes.map((m) => ({
            modeId: m.id,
            name: m.name ?? '',
            minRateTPerH: m.minRateTPerH ?? 0,
            maxRateTPerH: m.maxRateTPerH,
            minRunPeriods: m.minRunPeriods ?? 1,
            inputs: m.inputs.map((x) => ({ materialId: x.material, fraction: x.fraction })),
            outputs: m.outputs.map((x) => ({ materialId: x.material, fraction: x.yield })),
          })),
        })),
        modelOrigin: model.origin,
      };
    }),
  };
}
