import type { SerializableSolveOptions } from '../backends/highs.backend';
import type { InfeasibilityExplanation } from '../explain/infeasibility.types';
import type { LinearModel } from '../model/linear-model';
import type { Backend, SolveResult } from '../solve.types';

/** Messages between `WorkerSolver` and `solve.worker.ts`. `stop` is an Int32Array(1) over a SharedArrayBuffer: 1 = stop. */
export type WorkerRequest =
  | { readonly id: number; readonly kind: 'solve'; readonly backend: Backend; readonly model: LinearModel; readonly options: SerializableSolveOptions; readonly stop: Int32Array }
  | { readonly id: number; readonly kind: 'explain'; readonly model: LinearModel; readonly timeLimitSeconds?: number; readonly rowPenalties?: Float64Array; readonly stop: Int32Array };

export type WorkerResponse =
  | { readonly id: number; readonly ok: true; readonly kind: 'solve'; readonly result: SolveResult; readonly wasmMemoryBytes: number }
  | { readonly id: number; readonly ok: true; readonly kind: 'explain'; readonly explanation: InfeasibilityExplanation; readonly wasmMemoryBytes: number }
  | { readonly id: number; readonly ok: false; readonly error: { readonly code?: string; readonly message: string }; readonly wasmMemoryBytes: number };
