// Worker-thread entry: solves one request at a time, synchronously, off the caller's event loop.
// HiGHS is loaded once per worker and reused; each request's HiGHS model is disposed after use.
import { parentPort, workerData } from 'node:worker_threads';
import highsLoader, { type Highs } from 'highs';
import { solveWithHighs } from '../backends/highs.backend';
import { solveWithJsLp } from '../backends/jslp.backend';
import { explainInfeasibilityWithHighs } from '../explain/explain-infeasibility';
import type { WorkerRequest, WorkerResponse } from './worker-protocol';

let highsPromise: Promise<Highs> | undefined;
let highs: Highs | undefined;

async function handle(request: WorkerRequest): Promise<WorkerResponse> {
  highs ??= await (highsPromise ??= highsLoader());
  const shouldStop = (): boolean => Atomics.load(request.stop, 0) === 1;
  try {
    if (request.kind === 'explain') {
      return { id: request.id, ok: true, kind: 'explain', explanation: explainInfeasibilityWithHighs(highs, request.model, request.timeLimitSeconds, request.rowPenalties), wasmMemoryBytes: highs.memoryBytes };
    }
    const result = request.backend === 'jslp' ? solveWithJsLp(request.model, request.options) : solveWithHighs(highs, request.model, request.options, shouldStop);
    return { id: request.id, ok: true, kind: 'solve', result, wasmMemoryBytes: highs.memoryBytes };
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown };
    return { id: request.id, ok: false, error: { code: typeof e.code === 'string' ? e.code : undefined, message: String(e.message ?? error) }, wasmMemoryBytes: highs.memoryBytes };
  }
}

if ((workerData as { preload?: boolean } | null)?.preload) highsPromise = highsLoader();

parentPort?.on('message', (request: WorkerRequest) => {
  void handle(request).then((response) => parentPort?.postMessage(response));
});
