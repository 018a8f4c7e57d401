import type { Worker } from 'node:worker_threads';
import type { ExplainOptions, InfeasibilityExplanation } from '../explain/infeasibility.types';
import { chooseBackend } from '../backends/choose-backend';
import { modelSize, withoutNames, type LinearModel } from '../model/linear-model';
import { OptimizationError, OptimizationErrorCode, type FieldViolation } from '../optimization.error';
import type { SolveOptions, SolveResult } from '../solve.types';
import type { LinearSolver } from '../solver.port';
import { spawnSolveWorker } from './spawn-solve-worker';
import type { WorkerRequest, WorkerResponse } from './worker-protocol';

export interface WorkerSolverOptions {
  /** Solves running at once; further requests wait in order. Default 1 (HiGHS-wasm is single-threaded). */
  readonly maxWorkers?: number;
  /**
   * A worker whose WebAssembly memory has grown beyond this is ended after its request: wasm memory
   * never shrinks, so one large model would otherwise pin its peak for the life of the process.
   * Default 1 GiB.
   */
  readonly retireAboveWasmBytes?: number;
  /** After a cancellation, how long the solver may take to return its incumbent before its worker is ended. Default 3 s. */
  readonly cancelGraceMs?: number;
  /**
   * When a worker is ended (cancel grace run out, memory retired), start its replacement at once so
   * that it has loaded HiGHS (about a second) before the next solve. Default false: lazily.
   */
  readonly replaceEndedWorkers?: boolean;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Job = DistributiveOmit<WorkerRequest, 'id' | 'stop'>;

function optionViolations(options: SolveOptions): FieldViolation[] {
  const v: FieldViolation[] = [];
  if (options.timeLimitSeconds !== undefined && !(options.timeLimitSeconds > 0 && Number.isFinite(options.timeLimitSeconds))) v.push({ field: 'timeLimitSeconds', description: 'must be a positive finite number of seconds' });
  if (options.mipRelativeGap !== undefined && !(options.mipRelativeGap >= 0 && options.mipRelativeGap < 1)) v.push({ field: 'mipRelativeGap', description: 'must be a fraction in [0, 1)' });
  if (options.cancelGraceMs !== undefined && !(options.cancelGraceMs >= 0 && Number.isFinite(options.cancelGraceMs))) v.push({ field: 'cancelGraceMs', description: 'must be a non-negative finite number of milliseconds' });
  return v;
}

function cancelledBeforeStart(backend: SolveResult['backend']): SolveResult {
  return { status: 'cancelled', backend, hasSolution: false, values: new Float64Array(0), solveMs: 0, message: 'cancelled before the solver produced a solution' };
}

/** The solver port on worker threads: every solve and explanation runs off the caller's event loop. */
export class WorkerSolver implements LinearSolver {
  private readonly maxWorkers: number;
  private readonly retireAbove: number;
  private readonly graceMs: number;
  private readonly replaceEnded: boolean;
  private readonly idle: Worker[] = [];
  private readonly busy = new Set<Worker>();
  private readonly waiting: Array<() => void> = [];
  private nextId = 1;
  private closed = false;

  constructor(options: WorkerSolverOptions = {}) {
    this.maxWorkers = Math.max(1, options.maxWorkers ?? 1);
    this.retireAbove = options.retireAboveWasmBytes ?? 2 ** 30;
    this.graceMs = options.cancelGraceMs ?? 3000;
    this.replaceEnded = options.replaceEndedWorkers ?? false;
  }

  /** Worker threads started and waiting for a request (a replacement counts from its start). */
  get idleWorkers(): number {
    return this.idle.length;
  }

  async solve(model: LinearModel, options: SolveOptions = {}): Promise<SolveResult> {
    const violations = optionViolations(options);
    if (violations.length > 0) throw new OptimizationError(OptimizationErrorCode.invalidOptions, `invalid solve options: ${violations.map((v) => `${v.field} ${v.description}`).join('; ')}`, { violations });
    const backend = chooseBackend(options.backend, modelSize(model), options.duals ?? false);
    const { signal, cancelGraceMs, ...serializable } = options;
    // names stay here: the worker needs only the arrays (explanations, which report names, send them)
    const response = await this.run({ kind: 'solve', backend, model: withoutNames(model), options: serializable }, signal, options.timeLimitSeconds, cancelGraceMs);
    if (response === 'cancelled') return cancelledBeforeStart(backend);
    if (response.kind !== 'solve') throw new OptimizationError(OptimizationErrorCode.solverFailed, 'solve worker answered another request');
    return response.result;
  }

  async explainInfeasibility(model: LinearModel, options: ExplainOptions = {}): Promise<InfeasibilityExplanation> {
    if (options.rowPenalties && options.rowPenalties.length !== model.rows.names.length) throw new OptimizationError(OptimizationErrorCode.invalidOptions, 'rowPenalties needs one entry per row', { violations: [{ field: 'rowPenalties', description: `expected ${model.rows.names.length} entries` }] });
    const response = await this.run({ kind: 'explain', model, timeLimitSeconds: options.timeLimitSeconds, rowPenalties: options.rowPenalties }, options.signal, options.timeLimitSeconds);
    if (response === 'cancelled') throw new OptimizationError(OptimizationErrorCode.cancelled, 'explanation cancelled');
    if (response.kind !== 'explain') throw new OptimizationError(OptimizationErrorCode.solverFailed, 'solve worker answered another request');
    return response.explanation;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.idle.splice(0), ...this.busy].map((w) => w.terminate()));
    this.busy.clear();
  }

  private async acquire(signal: AbortSignal | undefined): Promise<Worker | undefined> {
    for (;;) {
      if (this.closed) throw new OptimizationError(OptimizationErrorCode.backendUnavailable, 'the solver is closed');
      if (signal?.aborted) return undefined;
      const worker = this.idle.pop() ?? (this.busy.size < this.maxWorkers ? spawnSolveWorker() : undefined);
      if (worker) {
        worker.ref();
        this.busy.add(worker);
        return worker;
      }
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }

  private release(worker: Worker, keep: boolean): void {
    this.busy.delete(worker);
    if (keep && !this.closed) {
      worker.unref();
      this.idle.push(worker);
    } else {
      void worker.terminate();
      if (this.replaceEnded && !this.closed && this.idle.length + this.busy.size < this.maxWorkers) {
        const replacement = spawnSolveWorker({ preload: true });
        replacement.unref();
        this.idle.push(replacement);
      }
    }
    this.waiting.shift()?.();
  }

  private async run(job: Job, signal: AbortSignal | undefined, timeLimitSeconds: number | undefined, graceMs = this.graceMs): Promise<Extract<WorkerResponse, { ok: true }> | 'cancelled'> {
    const worker = await this.acquire(signal);
    if (!worker) return 'cancelled';
    const id = this.nextId++;
    const stop = new Int32Array(new SharedArrayBuffer(4));
    return new Promise((resolve, reject) => {
      const timers: NodeJS.Timeout[] = [];
      const finish = (keep: boolean): void => {
        timers.forEach(clearTimeout);
        signal?.removeEventListener('abort', onAbort);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        this.release(worker, keep);
      };
      const onMessage = (response: WorkerResponse): void => {
        if (response.id !== id) return;
        finish(response.wasmMemoryBytes <= this.retireAbove);
        if (response.ok) resolve(response);
        else reject(new OptimizationError(OptimizationErrorCode.solverFailed, `solver failed: ${response.error.message}`));
      };
      const onError = (error: Error): void => {
        finish(false);
        reject(new OptimizationError(OptimizationErrorCode.solverFailed, `solve worker crashed: ${error.message}`, { retriable: true, cause: error }));
      };
      const onExit = (code: number): void => onError(new Error(`exited with code ${code}`));
      const hardStop = (why: string): void => {
        finish(false);
        if (why === 'cancelled') resolve('cancelled');
        else reject(new OptimizationError(OptimizationErrorCode.solverFailed, why, { retriable: true }));
      };
      const onAbort = (): void => {
        Atomics.store(stop, 0, 1);
        timers.push(setTimeout(() => hardStop('cancelled'), graceMs));
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      if (signal) signal.addEventListener('abort', onAbort, { once: true });
      if (timeLimitSeconds !== undefined) timers.push(setTimeout(() => hardStop(`the solver overran its ${timeLimitSeconds} s time limit by 60 s and was stopped`), timeLimitSeconds * 1000 + 60_000));
      worker.postMessage({ ...job, id, stop } as WorkerRequest);
      if (signal?.aborted) onAbort();
    });
  }
}
