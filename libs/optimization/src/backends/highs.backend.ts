import type { Highs, HighsCallbackMap, Model, ModelData } from 'highs';
import { isMip, type LinearModel } from '../model/linear-model';
import type { SolveOptions, SolveResult, SolveStatus } from '../solve.types';

export type SerializableSolveOptions = Omit<SolveOptions, 'signal'>;

/** HiGHS model data straight from the sparse arrays (no LP text); infinities mapped to HiGHS'. */
export function toHighsModelData(highs: Highs, model: LinearModel): ModelData {
  const inf = highs.infinity;
  const clamp = (a: Float64Array): Float64Array => a.map((v) => (v === Infinity ? inf : v === -Infinity ? -inf : v));
  const n = model.columns.lower.length;
  const m = model.rows.lower.length;
  return {
    numCols: n,
    numRows: m,
    sense: model.sense === 'minimize' ? highs.constants.objectiveSense.minimize : highs.constants.objectiveSense.maximize,
    offset: model.objectiveOffset,
    colCost: model.columns.cost,
    colLower: clamp(model.columns.lower),
    colUpper: clamp(model.columns.upper),
    rowLower: clamp(model.rows.lower),
    rowUpper: clamp(model.rows.upper),
    matrix: { format: 'csr', numRows: m, numCols: n, starts: model.matrix.starts, indices: model.matrix.indices, values: model.matrix.values },
    integrality: isMip(model) ? Int32Array.from(model.columns.integer) : undefined,
  };
}

/**
 * Runs `fn` on a fresh HiGHS model and always disposes it: a HiGHS instance lives in WebAssembly
 * memory, which JavaScript's garbage collector never frees.
 */
export function withHighsModel<T>(highs: Highs, model: LinearModel, fn: (m: Model) => T): T {
  const m = highs.createModel(toHighsModelData(highs, model));
  try {
    m.options.set({ output_flag: false });
    return fn(m);
  } finally {
    m.dispose();
  }
}

function interruptCallbacks(highs: Highs, shouldStop: () => boolean): HighsCallbackMap {
  const t = highs.constants.callbackType;
  return {
    [t.simplexInterrupt]: (e) => void (shouldStop() && e.interrupt()),
    [t.ipmInterrupt]: (e) => void (shouldStop() && e.interrupt()),
    [t.mipInterrupt]: (e) => void (shouldStop() && e.interrupt()),
  };
}

function statusOf(highs: Highs, code: number, stopped: boolean): SolveStatus {
  const s = highs.constants.modelStatus;
  switch (code) {
    case s.optimal:
      return 'optimal';
    case s.infeasible:
      return 'infeasible';
    case s.unbounded:
      return 'unbounded';
    case s.unboundedOrInfeasible:
      return 'infeasible-or-unbounded';
    case s.timeLimit:
      return 'time-limit';
    case s.interrupted:
      return stopped ? 'cancelled' : 'time-limit';
    default:
      return 'error';
  }
}

/** Solves synchronously (call it inside a worker thread). `shouldStop` is polled at solver checkpoints. */
export function solveWithHighs(highs: Highs, model: LinearModel, options: SerializableSolveOptions, shouldStop: () => boolean): SolveResult {
  const t0 = performance.now();
  const mip = isMip(model);
  return withHighsModel(highs, model, (m) => {
    const set: Record<string, string | number | boolean> = { ...options.highsOptions };
    if (options.timeLimitSeconds !== undefined) set.time_limit = options.timeLimitSeconds;
    if (options.mipRelativeGap !== undefined) set.mip_rel_gap = options.mipRelativeGap;
    if (!mip && options.lpAlgorithm && options.lpAlgorithm !== 'choose') set.solver = options.lpAlgorithm;
    if (!mip && options.lpAlgorithm === 'ipm') set.run_crossover = 'on';
    m.options.set(set);
    if (options.start && options.start.indices.length > 0) m.setSolution({ indices: Int32Array.from(options.start.indices), values: Float64Array.from(options.start.values) });
    let stopped = false;
    m.run(
      interruptCallbacks(highs, () => {
        stopped ||= shouldStop();
        return stopped;
      }),
    );
    const status = statusOf(highs, m.getModelStatus(), stopped);
    const hasSolution = Number(m.info.get('primal_solution_status')) === 2;
    const solution = hasSolution ? m.getSolution() : undefined;
    const objective = hasSolution ? m.getObjectiveValue() : undefined;
    let bestBound: number | undefined;
    let gapPercent: number | undefined;
    if (mip) {
      const bound = Number(m.info.get('mip_dual_bound'));
      bestBound = Number.isFinite(bound) ? bound : undefined;
      const gap = Number(m.info.get('mip_gap'));
      gapPercent = hasSolution && Number.isFinite(gap) ? gap * 100 : undefined;
    } else if (status === 'optimal') {
      bestBound = objective;
      gapPercent = 0;
    }
    const withDuals = !mip && status === 'optimal' && Number(m.info.get('dual_solution_status')) === 2;
    return {
      status,
      backend: 'highs',
      hasSolution,
      objective,
      bestBound,
      gapPercent,
      values: solution?.colValue ?? new Float64Array(0),
      duals: withDuals ? solution?.rowDual : undefined,
      reducedCosts: withDuals ? solution?.colDual : undefined,
      solveMs: performance.now() - t0,
    };
  });
}
