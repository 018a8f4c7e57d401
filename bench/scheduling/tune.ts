// Tuning helper (not part of the benchmark's figures): solves one generated instance in-process with
// several HiGHS option sets back to back, so variants are compared in the same minute. Prints wall
// and CPU time (CPU time is less disturbed by other load on a shared machine).
//   node -r ./scripts/register.cjs bench/scheduling/tune.ts lp-20x8x96 '{"solver":"ipm"}' '{"solver":"simplex"}'
// TUNE_LOG=1 prints HiGHS' own log.
import highsLoader from 'highs';
import { loadavg } from 'node:os';
import { modelSize } from '@reflux/optimization';
import { solveWithHighs } from '../../libs/optimization/src/backends/highs.backend';
import { formulate, generateInstance, parseProblem } from '../../services/scheduling/src';

async function main(): Promise<void> {
  const [name, ...variants] = process.argv.slice(2);
  const [, p, u, t] = /(\d+)x(\d+)x(\d+)/.exec(name)!;
  const spec = { products: +p, units: +u, periods: +t, formulation: name.startsWith('milp') ? ('milp' as const) : ('lp' as const) };
  const log = process.env.TUNE_LOG === '1';
  const highs = await highsLoader(log ? { print: (s: string) => console.log(s), printErr: (s: string) => console.error(s) } : {});
  if (process.env.TUNE_WARM) {
    const [, wp, wu, wt] = /(\d+)x(\d+)x(\d+)/.exec(process.env.TUNE_WARM)!;
    const w = formulate(parseProblem(generateInstance({ products: +wp, units: +wu, periods: +wt, formulation: 'lp' })));
    const c0 = process.cpuUsage();
    const r = solveWithHighs(highs, w.model, {}, () => false);
    const c = process.cpuUsage(c0);
    console.log(`warm-up ${process.env.TUNE_WARM} ${JSON.stringify(modelSize(w.model))} ${r.status} cpu ${((c.user + c.system) / 1000).toFixed(0)} ms`);
  }
  const problem = parseProblem(generateInstance(spec));
  formulate(problem);
  const t0 = performance.now();
  const f = formulate(problem);
  console.log(name, JSON.stringify(modelSize(f.model)), `build ${(performance.now() - t0).toFixed(0)} ms`);
  for (const v of variants) {
    const o = JSON.parse(v) as Record<string, unknown>;
    const { lpAlgorithm, ...highsOptions } = o;
    if (log) Object.assign(highsOptions, { output_flag: true, log_to_console: true });
    const c0 = process.cpuUsage();
    const r = solveWithHighs(highs, f.model, { lpAlgorithm: lpAlgorithm as never, highsOptions: highsOptions as never, timeLimitSeconds: spec.formulation === 'milp' ? Number(process.env.TUNE_TIME_LIMIT ?? 60) : undefined, mipRelativeGap: 0.01, start: f.milp ? f.start : undefined }, () => false);
    const cpu = process.cpuUsage(c0);
    console.log(v, r.status, `wall ${r.solveMs.toFixed(0)} ms cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`, r.objective?.toFixed(3), `gap ${r.gapPercent}`, `duals ${r.duals ? 'yes' : 'no'}`, `load ${loadavg()[0].toFixed(1)}`);
  }
}
void main();
