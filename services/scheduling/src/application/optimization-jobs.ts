import { randomUUID } from 'node:crypto';
import type { EventStore } from '@reflux/event-store';
import type { LinearSolver } from '@reflux/optimization';
import type { Logger } from 'pino';
import { parseProblem } from '../domain/parse-problem';
import type { ProblemInput } from '../domain/problem.schema';
import { replanRequest, type ReplanSettings } from '../domain/replan';
import type { ProposedSchedule, ScheduleCommand } from '../domain/schedule-lifecycle.events';
import { SchedulingError, SchedulingErrorCode } from '../domain/scheduling.errors';
import { FINISHED_JOB_STATES, type JobPatch, type JobRecord, type JobStore } from './job-store.port';
import { loadInputs } from './plant-inputs';
import type { PlantLease, PlantLock } from './plant-lock.port';
import { annotateYieldSources, type ReconciledYieldsReader, type YieldsForPlan } from './reconciled-yields';
import type { Cause, ScheduleBook } from './schedule-book';
import { solveProblem } from './solve-problem';

/** A plant's production model (a problem document; its horizon start is replaced by the current period). */
export interface PlantModel {
  readonly plantId: string;
  readonly document: ProblemInput;
  readonly origin: string;
}

export interface OptimizationJobsDeps {
  readonly store: EventStore;
  readonly jobs: JobStore;
  readonly lock: PlantLock;
  readonly solver: LinearSolver;
  readonly books: ReadonlyMap<string, ScheduleBook>;
  readonly models: ReadonlyMap<string, PlantModel>;
  readonly settings: ReplanSettings;
  /** Reconciled yields from the balancing service (model yields when it is not configured or down). */
  readonly yields: ReconciledYieldsReader;
  /** Called after a proposal is appended (with its ScheduleProposed integration event id). */
  readonly onProposed?: (plantId: string, proposed: ProposedSchedule, integrationEventId: string, cause: Cause) => Promise<void>;
  /** Publish every proposal at once (SCHEDULING_AUTO_PUBLISH); otherwise only a plant's first, at start-up. */
  readonly autoPublish: boolean;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** How often running jobs are marked alive; a job not marked for 3 periods is reported aborted. */
  readonly heartbeatMs: number;
  /** Wait before trying a re-plan again while another replica optimises the plant. */
  readonly replanRetryMs?: number;
}

export interface StartJob {
  readonly plantId: string;
  readonly trigger: string;
  readonly requestedBy: string;
  readonly timeLimitSeconds?: number;
  readonly mipGapPercent?: number;
  /** Replaces the plant's production model for this job (Optimize's problem_json). */
  readonly problem?: unknown;
  readonly correlationId?: string;
  /** The event id or request id that caused this job (re-plans). */
  readonly causationId?: string;
}

interface PreparedJob {
  readonly problem: ProblemInput;
  readonly unavailableUnitIds: readonly string[];
  readonly frozenPeriods: number;
  readonly horizonStart: string;
  readonly yields: YieldsForPlan;
}

type Listener = (job: JobRecord) => void;

interface ActiveJob {
  record: JobRecord;
  readonly controller: AbortController;
  readonly listeners: Set<Listener>;
  readonly done: Promise<void>;
}

/**
 * Optimisation jobs of this replica: each holds its plant's lock (one optimisation per plant across
 * replicas), runs the solve off the event loop with the request's time limit, can be cancelled,
 * and keeps its state in the job store. Re-plans asked for by events are coalesced per plant and
 * wait for the lock instead of being refused.
 */
export class OptimizationJobs {
  private readonly active = new Map<string, ActiveJob>();
  /** Per plant, the re-plan asked for while a job ran: the latest trigger wins (its reason and cause). */
  private readonly pendingReplan = new Map<string, { reason: string; cause: Cause }>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly heartbeat: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly deps: OptimizationJobsDeps) {
    this.heartbeat = setInterval(() => {
      if (this.active.size > 0) deps.jobs.heartbeat([...this.active.keys()]).catch((error: unknown) => deps.logger.warn({ err: error }, 'job heartbeat failed'));
    }, deps.heartbeatMs);
    this.heartbeat.unref();
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  private modelOf(plantId: string): PlantModel {
    const model = this.deps.models.get(plantId);
    if (!model) throw new SchedulingError(SchedulingErrorCode.plantNotFound, `no production model for plant "${plantId}"`, [{ field: 'plant_id', description: `unknown plant; configured: ${[...this.deps.models.keys()].join(', ')}` }]);
    return model;
  }

  /** Starts a job; resolves once it runs (holding the plant's lock), with the job's first state. */
  async start(request: StartJob): Promise<JobRecord> {
    if (this.stopped) throw new SchedulingError(SchedulingErrorCode.optimizationRunning, 'the service is stopping', [], true);
    const model = this.modelOf(request.plantId);
    const book = this.deps.books.get(request.plantId)!;
    const lease = await this.deps.lock.tryAcquire(request.plantId);
    if (!lease) {
      const running = await this.deps.jobs.running(request.plantId);
      throw new SchedulingError(
        SchedulingErrorCode.optimizationRunning,
        `plant "${request.plantId}" is being optimised${running ? ` by job ${running.jobId} (${running.trigger}, since ${running.createdAt.toISOString()})` : ' by another replica'}; try again when it has ended`,
        [{ field: 'plant_id', description: `an optimisation is running${running ? `: job ${running.jobId}` : ''}` }],
        true,
      );
    }
    let prepared: PreparedJob;
    try {
      await book.load();
      const inputs = await loadInputs(this.deps.store, request.plantId);
      const base = request.problem === undefined ? model.document : (parseProblem(request.problem) as ProblemInput);
      const yields = await this.deps.yields.forPlan(request.plantId, base, book.published());
      const replan = replanRequest({
        model: base,
        now: this.now(),
        demands: inputs.demands,
        unitStates: inputs.unitStates,
        published: book.published(),
        reconciledYields: [...yields.yields],
        ...(inputs.energyPrices && { energyPrices: inputs.energyPrices }),
        ...(inputs.siteTargets && { siteTargets: inputs.siteTargets }),
        settings: { ...this.deps.settings, timeLimitSeconds: request.timeLimitSeconds, mipGapPercent: request.mipGapPercent },
      });
      parseProblem(replan.problem); // bad input is refused here, before a job exists
      prepared = { ...replan, horizonStart: replan.problem.horizon.start, yields };
    } catch (error) {
      await lease.release();
      throw error;
    }
    const at = this.now();
    const record: JobRecord = { jobId: randomUUID(), plantId: request.plantId, state: 'running', trigger: request.trigger, phase: 'solving', requestedBy: request.requestedBy, createdAt: at, startedAt: at };
    try {
      await this.deps.jobs.create(record);
    } catch (error) {
      await lease.release();
      throw error;
    }
    const controller = new AbortController();
    const job: ActiveJob = { record, controller, listeners: new Set(), done: Promise.resolve() };
    this.active.set(record.jobId, job);
    (job as { done: Promise<void> }).done = this.run(job, request, prepared, lease);
    return record;
  }

  private async patch(job: ActiveJob, patch: JobPatch): Promise<void> {
    job.record = { ...job.record, ...patch };
    await this.deps.jobs.update(job.record.jobId, patch);
    for (const listener of job.listeners) listener(job.record);
  }

  private async run(job: ActiveJob, request: StartJob, prepared: PreparedJob, lease: PlantLease): Promise<void> {
    const { plantId } = request;
    const log = this.deps.logger.child({ plantId, jobId: job.record.jobId, trigger: request.trigger });
    try {
      const result = annotateYieldSources(await solveProblem(prepared.problem, this.deps.solver, { signal: job.controller.signal }), prepared.yields);
      const summary: JobPatch = { solverStatus: result.status, objective: result.objective, gapPercent: result.gapPercent, currency: result.currency };
      if (job.controller.signal.aborted) {
        await this.patch(job, { ...summary, state: 'cancelled', phase: 'done', endedAt: this.now(), message: 'cancelled; nothing proposed' });
        return;
      }
      if (!result.schedule) {
        await this.patch(job, { ...summary, state: 'failed', phase: 'done', endedAt: this.now(), message: result.infeasibility?.message ?? result.message ?? `no schedule (${result.status})`, result });
        log.warn({ status: result.status }, 'optimisation found no schedule');
        return;
      }
      await this.patch(job, { ...summary, phase: 'proposing' });
      const book = this.deps.books.get(plantId)!;
      const scheduleId = randomUUID();
      const commands: ScheduleCommand[] = [
        {
          type: 'Propose',
          data: {
            scheduleId,
            jobId: job.record.jobId,
            reason: request.trigger,
            proposedAt: this.now().toISOString(),
            horizon: { start: prepared.horizonStart, periods: prepared.problem.horizon.periods, periodHours: prepared.problem.horizon.periodHours ?? 1 },
            frozenPeriods: prepared.frozenPeriods,
            unavailableUnitIds: prepared.unavailableUnitIds,
            ...(prepared.yields.yields.length > 0 && { reconciledYields: prepared.yields.yields }),
            result,
          },
        },
      ];
      const publish = this.deps.autoPublish || (request.trigger === 'startup' && book.current.published === null);
      if (publish) commands.push({ type: 'Publish', data: { scheduleId, by: 'system', at: this.now().toISOString() } });
      const cause: Cause = { ...(request.correlationId !== undefined && { correlationId: request.correlationId }), ...(request.causationId !== undefined && { causationId: request.causationId }) };
      const appended = await book.execute(commands, request.requestedBy, cause);
      await this.patch(job, { state: 'completed', phase: 'done', endedAt: this.now(), scheduleId, message: publish ? 'proposed and published' : 'proposed' });
      log.info({ scheduleId, objective: result.objective, published: publish, unavailable: prepared.unavailableUnitIds }, 'schedule proposed');
      const proposed = appended.find((e) => e.type === 'ScheduleProposed');
      if (proposed?.type === 'ScheduleProposed' && this.deps.onProposed) await this.deps.onProposed(plantId, proposed.data, proposed.integrationEventId, cause).catch((error: unknown) => log.error({ err: error }, 'reacting to the proposal failed'));
    } catch (error) {
      log.error({ err: error }, 'optimisation failed');
      await this.patch(job, { state: 'failed', phase: 'done', endedAt: this.now(), message: (error as Error).message }).catch(() => undefined);
    } finally {
      this.active.delete(job.record.jobId);
      await lease.release().catch((error: unknown) => log.warn({ err: error }, 'releasing the plant lock failed'));
      const pending = this.pendingReplan.get(plantId);
      if (pending !== undefined && !this.stopped) {
        this.pendingReplan.delete(plantId);
        void this.replan(plantId, pending.reason, pending.cause);
      }
    }
  }

  /** Follows a job of this replica: the listener gets each change until it ends; undefined when not running here. */
  watch(jobId: string, listener: Listener): (() => void) | undefined {
    const job = this.active.get(jobId);
    if (!job) return undefined;
    job.listeners.add(listener);
    return () => job.listeners.delete(listener);
  }

  /** Cancels a job running on this replica (the solver stops; nothing is proposed). */
  async cancel(jobId: string): Promise<JobRecord> {
    const job = this.active.get(jobId);
    if (job) {
      job.controller.abort();
      await job.done;
      return job.record;
    }
    const stored = await this.deps.jobs.get(jobId);
    if (!stored) throw new SchedulingError(SchedulingErrorCode.jobNotFound, `no job "${jobId}"`, [{ field: 'job_id', description: 'unknown job' }]);
    if (FINISHED_JOB_STATES.has(stored.state)) throw new SchedulingError(SchedulingErrorCode.jobFinished, `job ${jobId} has already ended (${stored.state})`, [{ field: 'job_id', description: `ended: ${stored.state}` }]);
    throw new SchedulingError(SchedulingErrorCode.optimizationRunning, `job ${jobId} runs on another replica; cancel it there`, [{ field: 'job_id', description: 'runs on another replica' }], true);
  }

  /**
   * Re-plans a plant after new demands or a unit state change: starts at once when its lock is
   * free, after the running job of this replica otherwise (several requests meanwhile make one
   * re-plan, caused by the latest of them), and retries while another replica holds the lock.
   * `cause`: the triggering event's id (or the request id) and its correlation id.
   */
  replan(plantId: string, reason: string, cause: Cause = {}): Promise<JobRecord | undefined> {
    if (this.stopped) return Promise.resolve(undefined);
    if ([...this.active.values()].some((j) => j.record.plantId === plantId)) {
      this.pendingReplan.set(plantId, { reason, cause });
      return Promise.resolve(undefined);
    }
    return this.start({ plantId, trigger: reason, requestedBy: 'system', ...cause }).catch((error: unknown) => {
      if ((error as { code?: unknown }).code === SchedulingErrorCode.optimizationRunning && !this.stopped) {
        if ([...this.active.values()].some((j) => j.record.plantId === plantId)) {
          this.pendingReplan.set(plantId, { reason, cause });
          return undefined;
        }
        const timer = setTimeout(() => {
          this.retryTimers.delete(timer);
          void this.replan(plantId, reason, cause);
        }, this.deps.replanRetryMs ?? 2000);
        timer.unref();
        this.retryTimers.add(timer);
        return undefined;
      }
      this.deps.logger.error({ err: error, plantId, reason }, 're-plan could not start');
      return undefined;
    });
  }

  /** Resolves once no job of this replica runs and no re-plan waits. */
  async idle(): Promise<void> {
    while (this.active.size > 0 || this.pendingReplan.size > 0 || this.retryTimers.size > 0) {
      await Promise.all([...this.active.values()].map((j) => j.done));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Cancels every running job and waits for them to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    this.pendingReplan.clear();
    for (const job of this.active.values()) job.controller.abort();
    await Promise.all([...this.active.values()].map((j) => j.done));
  }
}
