// Scheduling benchmark: deterministic generated planning instances (services/scheduling
// generateInstance: products × units × periods, ~3.5 units per product, tanks, orders, the site
// energy system with time-of-use power), formulated by the scheduling domain and solved through the
// solver port in a worker thread with the backend and settings the service would choose (LP: duals
// wanted, so HiGHS, dual simplex, without presolve from 50,000 columns; MILP: HiGHS, 60 s, 1 % gap).
// buildMs is the formulation (warm: median of 5 after 5 unmeasured runs), solveMs the solver's own
// time in the worker. The last line is one JSON object. Tuning helpers beside it: tune.ts (HiGHS
// option sets on one instance, back to back, with CPU time) and build-time.ts (formulation time).
import { loadavg } from 'node:os';
import { modelSize, WorkerSolver } from '@reflux/optimization';
import { formulate, generateInstance, parseProblem, solveOptionsFor } from '../../services/scheduling/src';

const instances = [
  { name: 'lp-20x8x96', products: 20, units: 8, periods: 96, formulation: 'lp' as const },
  { name: 'lp-40x10x168', products: 40, units: 10, periods: 168, formulation: 'lp' as const },
  { name: 'milp-12x6x48', products: 12, units: 6, periods: 48, formulation: 'milp' as const },
].filter((i) => !process.env.BENCH_INSTANCES || process.env.BENCH_INSTANCES.split(',').includes(i.name));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1];
}

async function main(): Promise<void> {
  const solver = new WorkerSolver();
  // The service's worker has solved the plant's start-up schedule before any re-plan; a worker that
  // has solved nothing yet spends about 1 s of CPU more on its first LP (V8 compiles and tiers up
  // HiGHS' WebAssembly lazily, and its memory grows). Warm it the same way with a small plan.
  const warm = formulate(parseProblem(generateInstance({ products: 10, units: 4, periods: 48, formulation: 'lp' })));
  await solver.solve(warm.model, solveOptionsFor(warm));
  const out = [];
  for (const spec of instances) {
    const problem = parseProblem(generateInstance(spec));
    const times: number[] = [];
    // warm: the first runs of a fresh process include V8's JIT tier-up of the formulation code and
    // the growth of its heap (lp-20x8x96: runs 2–4 took 200–550 ms, later ones 40–60 ms at load 10)
    let f = formulate(problem);
    for (let i = 0; i < 4; i++) f = formulate(problem);
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      f = formulate(problem);
      times.push(performance.now() - t0);
    }
    const size = modelSize(f.model);
    const result = await solver.solve(f.model, solveOptionsFor(f));
    const row = {
      name: spec.name,
      kind: spec.formulation,
      backend: result.backend,
      rows: size.rows,
      columns: size.columns,
      binaries: size.binaries,
      nonzeros: size.nonzeros,
      buildMs: Number(median(times).toFixed(1)),
      solveMs: Number(result.solveMs.toFixed(1)),
      objective: result.objective === undefined ? null : Number(result.objective.toFixed(2)),
      status: result.status,
      gapPercent: result.gapPercent === undefined ? null : Number(result.gapPercent.toFixed(3)),
    };
    console.log(`${spec.name}: ${JSON.stringify(row)} (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
    out.push(row);
  }
  await solver.close();
  console.log(JSON.stringify({ instances: out }));
}

void main();
