import { WorkerSolver, modelSize } from '@reflux/optimization';
import { startEmbeddedPostgres } from '@reflux/testing';
import { TransactionalOutbox } from '@reflux/messaging';
import { PostgresEventStore } from '@reflux/event-store';
import { Pool } from 'pg';
import pino from 'pino';
import { migrateSupplyChain } from '../../services/supply-chain/src/adapters/postgres/supply-chain.migrations';
import { allocate } from '../../services/supply-chain/src/application/allocate';
import { SupplyCoordinator } from '../../services/supply-chain/src/application/supply-coordinator';
import { COORDINATION_STREAM } from '../../services/supply-chain/src/domain/coordination.decider';
import { formulate } from '../../services/supply-chain/src/domain/formulation/formulate';
import { parseNetwork } from '../../services/supply-chain/src/domain/parse-network';
import { generateNetwork } from '../../services/supply-chain/src/testing/generate-network';

// `npm run bench -- supply-chain`: the LP relaxation of a 50 × 20 × 200 × 30 network (sites ×
// products × customers × periods), the 20 × 10 × 60 × 14 network with integer modules to 1 % gap,
// and 20 re-allocations of the integer network after site disruptions (disruption event appended →
// AllocationProposed appended, warm-started from the plan in force) on an embedded PostgreSQL.
// CPU figures (process.cpuUsage: every thread of this process, the solver's worker included) are
// there because the machine is shared: wall-clock figures on a loaded machine overstate.

/** The service's default budget of a re-allocation (SUPPLY_REALLOCATION_TIME_LIMIT_S), formulation included. */
const REALLOCATION_TIME_LIMIT_S = 4;
const log = (line: string) => process.stdout.write(`${line}\n`);
const cpuMs = (since: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
};
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

async function main(): Promise<void> {
  const solver = new WorkerSolver({ replaceEndedWorkers: true });
  const lpSize = { sites: 50, products: 20, customers: 200, periods: 30 };
  const lpNetwork = parseNetwork(generateNetwork({ ...lpSize, formulation: 'lp' }));
  const lpBuild = formulate(lpNetwork);
  const lpModel = modelSize(lpBuild.model);
  // the worker thread loads HiGHS on its first solve: not part of the figures
  await allocate(solver, parseNetwork(generateNetwork({ sites: 2, products: 1, customers: 2, periods: 2, formulation: 'lp' })));
  // the solve `allocate` runs (HiGHS, default LP algorithm: dual simplex), timed on its own
  const lpCpu = process.cpuUsage();
  const lp = { result: await solver.solve(lpBuild.model, { timeLimitSeconds: 120, backend: 'highs' }) };
  const lpCpuMs = cpuMs(lpCpu);
  log(`LP ${JSON.stringify(lpSize)}: ${lpModel.rows} rows, ${lpModel.columns} columns, build ${lpBuild.buildMs.toFixed(0)} ms, solve ${lp.result.solveMs.toFixed(0)} ms (CPU ${lpCpuMs.toFixed(0)} ms), ${lp.result.status}`);

  const milpSize = { sites: 20, products: 10, customers: 60, periods: 14 };
  const milpNetwork = parseNetwork(generateNetwork({ ...milpSize, formulation: 'milp' }));
  const milpCpu = process.cpuUsage();
  const milp = await allocate(solver, milpNetwork, { timeLimitSeconds: 60, mipRelativeGap: 0.01 });
  const milpCpuMs = cpuMs(milpCpu);
  const milpModel = modelSize(milp.formulation.model);
  log(`MILP ${JSON.stringify(milpSize)}: ${milpModel.rows} rows, ${milpModel.columns} columns (${milpModel.integers} integer), solve ${milp.result.solveMs.toFixed(0)} ms, gap ${(milp.result.gapPercent ?? NaN).toFixed(3)} %, ${milp.result.status} (CPU ${milpCpuMs.toFixed(0)} ms, formulation included)`);

  const pg = await startEmbeddedPostgres();
  const pool = new Pool({ connectionString: pg.url, max: 4 });
  const logger = pino({ enabled: false });
  const store = new PostgresEventStore({ pool, logger });
  const reallocationMs: number[] = [];
  const reallocationGapPercent: number[] = [];
  const reallocationCpuMs: number[] = [];
  // wall-clock ms per stage of each re-allocation: formulation, LP with the plan's modules, MILP, reading the solution, appending AllocationProposed
  const stages = { build: [] as number[], fixedModulesLp: [] as number[], milp: [] as number[], read: [] as number[], append: [] as number[] };
  try {
    await migrateSupplyChain(pool);
    const coordinator = new SupplyCoordinator({
      store,
      pool,
      outbox: new TransactionalOutbox({ eventStore: store, category: 'outbox-bench-' }),
      solver,
      network: { ...milpNetwork, orders: [] },
      logger,
      source: 'bench',
      frozenPeriods: 1,
      deviationPenaltyPerT: 1,
      reallocationTimeLimitSeconds: REALLOCATION_TIME_LIMIT_S,
      mipRelativeGap: 0.01,
      now: () => new Date(0),
    });
    await coordinator.load();
    for (const o of milpNetwork.orders) await coordinator.orderCommand('SubmitOrder', o, 'bench');
    // the plan in force (setup, not measured): the time a loaded machine needs to reach the gap
    const first = await coordinator.optimize('bench', { timeLimitSeconds: 600, mipRelativeGap: 0.01 });
    await coordinator.publish(first.allocationId, 'bench');
    for (let i = 0; i < 20; i++) {
      const site = milpNetwork.sites[(i * 7) % milpNetwork.sites.length];
      const from = 1 + (i % (milpSize.periods - 2));
      const cpu = process.cpuUsage();
      const proposal = await coordinator.disrupt({ site: { site: site.id, fromPeriod: from, toPeriod: Math.min(milpSize.periods, from + 3), availableModules: 0 }, reason: `bench disruption ${i}`, source: `bench-${i}` });
      const events = await store.readStream(COORDINATION_STREAM, { direction: 'backwards', maxCount: 2 });
      const proposed = events.find((e) => e.type === 'AllocationProposed' && (e.data as { allocationId: string }).allocationId === proposal?.allocationId);
      const disrupted = events.find((e) => e.type === 'SiteDisrupted');
      if (!proposed || !disrupted) throw new Error('re-allocation did not append AllocationProposed after SiteDisrupted');
      reallocationMs.push(proposed.recordedAt.getTime() - disrupted.recordedAt.getTime());
      reallocationCpuMs.push(cpuMs(cpu));
      reallocationGapPercent.push(proposal!.allocation.gapPercent);
      const st = coordinator.stageMsOf(proposal!.allocationId)!;
      stages.build.push(st.buildMs);
      stages.fixedModulesLp.push(st.fixedModulesLpMs ?? 0);
      stages.milp.push(st.solveMs ?? 0);
      stages.read.push(st.readMs);
      stages.append.push(st.appendMs);
      const ms = (x: number | undefined) => (x ?? 0).toFixed(0);
      log(`re-allocation ${i}: ${reallocationMs[i]} ms (build ${ms(st.buildMs)}, fixed-modules LP ${ms(st.fixedModulesLpMs)}, MILP ${ms(st.solveMs)}, read ${ms(st.readMs)}, append ${ms(st.appendMs)} ms), CPU ${reallocationCpuMs[i].toFixed(0)} ms, ${proposal!.allocation.status}, gap ${proposal!.allocation.gapPercent.toFixed(3)} %`);
    }
    log(`re-allocation over 20 disruptions: ${reallocationMs.map((x) => x.toFixed(0)).join(' ')} ms`);
  } finally {
    await store.close();
    await pool.end();
    await pg.stop();
    await solver.close();
  }
  log(
    JSON.stringify({
      lpSites: lpSize.sites,
      lpProducts: lpSize.products,
      lpCustomers: lpSize.customers,
      lpPeriods: lpSize.periods,
      lpRows: lpModel.rows,
      lpColumns: lpModel.columns,
      lpBuildMs: Math.round(lpBuild.buildMs),
      lpSolveMs: Math.round(lp.result.solveMs),
      milpSites: milpSize.sites,
      milpProducts: milpSize.products,
      milpCustomers: milpSize.customers,
      milpPeriods: milpSize.periods,
      milpRows: milpModel.rows,
      milpColumns: milpModel.columns,
      milpIntegerColumns: milpModel.integers,
      milpSolveMs: Math.round(milp.result.solveMs),
      milpGapPercent: Number((milp.result.gapPercent ?? NaN).toFixed(4)),
      reallocationP50Ms: percentile(reallocationMs, 50),
      reallocationP99Ms: percentile(reallocationMs, 99),
      reallocationTimeLimitS: REALLOCATION_TIME_LIMIT_S,
      reallocationGapP50Percent: Number(percentile(reallocationGapPercent, 50).toFixed(4)),
      reallocationGapMaxPercent: Number(Math.max(...reallocationGapPercent).toFixed(4)),
      reallocationCpuP50Ms: Math.round(percentile(reallocationCpuMs, 50)),
      reallocationCpuP99Ms: Math.round(percentile(reallocationCpuMs, 99)),
      ...Object.fromEntries(
        Object.entries(stages).flatMap(([name, xs]) => {
          const key = `reallocationStage${name[0].toUpperCase()}${name.slice(1)}`;
          return [
            [`${key}P50Ms`, Math.round(percentile(xs, 50))],
            [`${key}P99Ms`, Math.round(percentile(xs, 99))],
          ];
        }),
      ),
      lpSolveCpuMs: Math.round(lpCpuMs),
      milpSolveCpuMs: Math.round(milpCpuMs),
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
