// Tuning helper: formulation (model build) time of one generated instance, median of N warm runs,
// wall and CPU time.  node -r ./scripts/register.cjs bench/scheduling/build-time.ts lp-20x8x96 [N]
import { formulate, generateInstance, parseProblem } from '../../services/scheduling/src';

const [name, runs = '15'] = process.argv.slice(2);
const [, p, u, t] = /(\d+)x(\d+)x(\d+)/.exec(name)!;
const problem = parseProblem(generateInstance({ products: +p, units: +u, periods: +t, formulation: name.startsWith('milp') ? 'milp' : 'lp' }));
const wall: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < Number(runs); i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  formulate(problem);
  wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
}
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1];
console.log(name, `build median wall ${median(wall).toFixed(1)} ms cpu ${median(cpu).toFixed(1)} ms (min wall ${Math.min(...wall).toFixed(1)})`);
