import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import highsLoader from 'highs';
import { bindingConstraints } from '../explain/binding-constraints';
import { rowActivities, type LinearModel } from '../model/linear-model';
import { toLpFormat } from '../model/lp-format';
import { ModelBuilder, terms } from '../model/model-builder';
import { marketSplit, randomLp } from '../testing/instances';
import { WorkerSolver } from './worker-solver';

/** Workshop LP solved by hand: vertex (20, 10), profit 1100, duals y = (70/3, 10/3) from yᵀA = c. */
function workshop(): LinearModel {
  const b = new ModelBuilder('workshop', 'maximize');
  const chairs = b.variable('chairs', { cost: 30 });
  const tables = b.variable('tables', { cost: 50 });
  b.lessOrEqual('carpentry_h', terms().add(chairs, 1).add(tables, 2), 40);
  b.lessOrEqual('finishing_h', terms().add(chairs, 2).add(tables, 1), 50);
  b.lessOrEqual('tables_market', terms().add(tables, 1), 30);
  return b.build();
}

/** min 2 x + 3 y, x + y ≥ 10, x ≤ 6: x = 6, y = 4, cost 24; one more unit of demand costs 3, of capacity saves 1. */
function cheapestSupply(demand = 10): LinearModel {
  const b = new ModelBuilder('supply');
  const x = b.variable('own_t', { cost: 2 });
  const y = b.variable('bought_t', { cost: 3 });
  b.greaterOrEqual('demand_t', terms().add(x, 1).add(y, 1), demand);
  b.lessOrEqual('own_capacity_t', terms().add(x, 1), 6);
  b.lessOrEqual('purchase_limit_t', terms().add(y, 1), 8);
  return b.build();
}

function cbcObjective(lp: string): number {
  const dir = mkdtempSync(join(tmpdir(), 'reflux-lp-'));
  const file = join(dir, 'model.lp');
  writeFileSync(file, lp);
  const out = execFileSync('cbc', [file, 'solve', 'quit'], { encoding: 'utf8', timeout: 60_000 });
  const match = /(?:Objective value:|Optimal objective)\s+(-?[\d.e+-]+)/.exec(out);
  if (!match) throw new Error(`cbc gave no objective:\n${out}`);
  return Number(match[1]);
}

describe('WorkerSolver (HiGHS and javascript-lp-solver in worker threads)', () => {
  const solver = new WorkerSolver({ maxWorkers: 2 });
  afterAll(() => solver.close());

  it('solves the hand-solved workshop LP with its duals and binding constraints', async () => {
    const model = workshop();
    const result = await solver.solve(model, { backend: 'highs' });
    expect(result.status).toBe('optimal');
    expect(result.objective).toBeCloseTo(1100, 9);
    expect(Array.from(result.values)).toEqual([expect.closeTo(20, 9), expect.closeTo(10, 9)]);
    const binding = bindingConstraints(model, result);
    expect(binding.map((b) => [b.name, b.bound])).toEqual([
      ['carpentry_h', 'upper'],
      ['finishing_h', 'upper'],
    ]);
    expect(binding[0].shadowPrice).toBeCloseTo(70 / 3, 9);
    expect(binding[1].shadowPrice).toBeCloseTo(10 / 3, 9);
  });

  it('reports shadow prices of a minimisation as the cost of one more unit of the bound', async () => {
    const model = cheapestSupply();
    const result = await solver.solve(model, { duals: true });
    expect(result.backend).toBe('highs');
    expect(result.objective).toBeCloseTo(24, 9);
    const prices = Object.fromEntries(bindingConstraints(model, result).map((b) => [b.name, b.shadowPrice]));
    expect(prices).toEqual({ demand_t: expect.closeTo(3, 9), own_capacity_t: expect.closeTo(-1, 9) });
  });

  it('chooses javascript-lp-solver for a small LP without duals, and both backends agree', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const model = randomLp(seed, 6, 3);
      const auto = await solver.solve(model);
      const highs = await solver.solve(model, { backend: 'highs' });
      expect(auto.backend).toBe('jslp');
      expect(auto.status).toBe('optimal');
      expect(auto.objective).toBeCloseTo(highs.objective!, 6);
    }
  });

  it('gives the same MILP optimum with both backends on small integer instances', async () => {
    for (const seed of [11, 12, 13]) {
      const model = randomLp(seed, 5, 2, true);
      const jslp = await solver.solve(model, { backend: 'jslp' });
      const highs = await solver.solve(model);
      expect(highs.backend).toBe('highs');
      expect(jslp.status).toBe('optimal');
      expect(jslp.objective).toBeCloseTo(highs.objective!, 6);
    }
  });

  it('exports LP text that HiGHS and CBC read back to the same objective', async () => {
    const b = new ModelBuilder('export', 'minimize');
    const x = b.variable('flow-A', { lower: -5, upper: 10, cost: 1 });
    const y = b.variable('units (#)', { upper: 7, cost: 4, integer: true });
    const z = b.variable('free', { lower: -Infinity, cost: 0.5 });
    b.addObjectiveOffset(100);
    b.constraint('band', terms().add(x, 1).add(y, 3), 4.5, 20);
    b.equal('link', terms().add(z, 1).add(x, -1).add(y, -2), 1);
    b.greaterOrEqual('z-floor', terms().add(z, 1), -3);
    const models = [b.build(), randomLp(21, 12, 4), randomLp(22, 8, 3, true), cheapestSupply()];
    const highs = await highsLoader();
    for (const model of models) {
      const direct = await solver.solve(model, { backend: 'highs' });
      const lp = toLpFormat(model);
      const readBack = highs.solve(lp, { output_flag: false });
      expect(readBack.Status).toBe('Optimal');
      expect(readBack.ObjectiveValue).toBeCloseTo(direct.objective!, 6);
      expect(cbcObjective(lp)).toBeCloseTo(direct.objective!, 5);
    }
  });

  it('names the conflicting constraints of an infeasible model and how far each must give', async () => {
    const model = cheapestSupply(20);
    const result = await solver.solve(model);
    expect(result.status).toBe('infeasible');
    const explanation = await solver.explainInfeasibility(model);
    expect(explanation.feasible).toBe(false);
    expect(explanation.relaxations).toHaveLength(1);
    expect(explanation.relaxations[0]).toMatchObject({ kind: 'row', bound: expect.any(String), violation: expect.closeTo(6, 6) });
    expect(['demand_t', 'own_capacity_t', 'purchase_limit_t']).toContain(explanation.relaxations[0].name);
    expect([...explanation.conflict.rows].sort()).toEqual(['demand_t', 'own_capacity_t', 'purchase_limit_t']);
    expect(explanation.message).toContain(explanation.relaxations[0].name);
  });

  it('returns the best solution found and its gap when the time limit ends a hard MILP', async () => {
    const model = marketSplit(7, 5, 40);
    const started = Date.now();
    const result = await solver.solve(model, { timeLimitSeconds: 1 });
    expect(Date.now() - started).toBeLessThan(8000);
    expect(result.status).toBe('time-limit');
    expect(result.hasSolution).toBe(true);
    expect(result.gapPercent!).toBeGreaterThan(0);
    expect(result.bestBound!).toBeLessThanOrEqual(result.objective!);
    const activity = rowActivities(model, result.values);
    activity.forEach((a, i) => expect(a).toBeCloseTo(model.rows.lower[i], 6));
  });

  it('stops on AbortSignal with the incumbent, and keeps the caller’s event loop free meanwhile', async () => {
    await solver.solve(workshop()); // a loaded worker, so the abort lands inside branch and bound
    const controller = new AbortController();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    setTimeout(() => controller.abort(), 2000);
    const started = Date.now();
    const result = await solver.solve(marketSplit(8, 5, 40), { signal: controller.signal });
    clearInterval(timer);
    expect(Date.now() - started).toBeLessThan(6000);
    expect(result.status).toBe('cancelled');
    expect(result.hasSolution).toBe(true);
    expect(ticks).toBeGreaterThan(30);
  });

  it('honours a per-solve cancel grace: a zero grace returns at the abort, and the next solve gets a fresh worker', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const started = Date.now();
    const result = await solver.solve(marketSplit(8, 5, 40), { signal: controller.signal, cancelGraceMs: 0 });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(result.status).toBe('cancelled');
    expect((await solver.solve(workshop())).status).toBe('optimal');
  });

  it('starts a replacement for an ended worker at once when asked, and otherwise only on the next request', async () => {
    const idleAfterEnded = async (replaceEndedWorkers: boolean): Promise<number> => {
      const pool = new WorkerSolver({ replaceEndedWorkers });
      try {
        await pool.solve(workshop());
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 300);
        expect((await pool.solve(marketSplit(8, 5, 40), { signal: controller.signal, cancelGraceMs: 0 })).status).toBe('cancelled');
        const idle = pool.idleWorkers;
        expect((await pool.solve(workshop())).status).toBe('optimal');
        return idle;
      } finally {
        await pool.close();
      }
    };
    expect(await idleAfterEnded(false)).toBe(0);
    expect(await idleAfterEnded(true)).toBe(1);
  }, 30_000);

  it('rejects bad options field by field', async () => {
    await expect(solver.solve(workshop(), { timeLimitSeconds: -1, mipRelativeGap: 2, cancelGraceMs: -1 })).rejects.toMatchObject({
      code: 'OPTIMIZATION.INVALID_OPTIONS',
      violations: [{ field: 'timeLimitSeconds' }, { field: 'mipRelativeGap' }, { field: 'cancelGraceMs' }],
    });
  });
});
