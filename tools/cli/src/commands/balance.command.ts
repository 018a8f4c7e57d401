import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { reconcileNetworkDocument, type ReconciliationResult } from '@reflux/reconciliation';
import { createOutput, table } from '../output';

/**
 * `reflux balance reconcile --network FILE`: offline engineering use of the reconciliation engine
 * on any network given as JSON (nodes, streams with from/to, measured values and sigmas).
 */
export function registerBalanceCommands(program: Command): void {
  const balance = program.command('balance').description('material and energy balances');
  balance
    .command('reconcile')
    .description('reconcile a network given as a JSON file and test it for gross errors')
    .requiredOption('--network <file>', 'network JSON: { nodes: [{id}], streams: [{id, from, to, measured, value, sigma, lower, upper}] }')
    .option('--alpha <p>', 'significance level of the statistical tests', '0.05')
    .option('--no-bounds', 'solve the unbounded (closed-form) problem instead of the bounded QP')
    .option('--no-compensation', 'the plain weighted-least-squares solution and its tests: no suspect is compensated (serial elimination off)')
    .option('--json', 'print the full result as JSON')
    .action(async (o: { network: string; alpha: string; bounds: boolean; compensation: boolean; json?: boolean }) => {
      const alpha = Number(o.alpha);
      if (!(alpha > 0 && alpha < 1)) throw new Error(`--alpha: expected a probability in (0, 1), got "${o.alpha}"`);
      const result = await reconcileNetworkDocument(readFileSync(o.network, 'utf8'), { alpha, bounds: o.bounds, ...(!o.compensation && { maxEliminations: 0 }) });
      createOutput(o.json === true).result(result, () => humanReport(result));
      if (result.globalTest.rejected) process.exitCode = 4;
    });
}

function humanReport(r: ReconciliationResult): string {
  const fmt = (x: number | null | undefined, digits = 4) => (x === null || x === undefined ? '' : x.toPrecision(digits));
  const g = r.globalTest;
  return [
    `global test: statistic ${fmt(g.statistic)} on ${g.dof} dof, critical ${fmt(g.critical)}: ${g.rejected ? 'REJECTED (gross error likely)' : 'passed'}`,
    '',
    table(
      ['stream', 'measured', 'reconciled', 'sigma', 'adjustment', 'meas. test', 'suspect', 'class'],
      r.streams.map((s) => [s.id, fmt(s.measuredValue), fmt(s.reconciled), fmt(s.sigma, 3), fmt(s.adjustment, 3), fmt(s.measurementTest, 3), s.suspect ? 'yes' : '', s.classification]),
    ),
    '',
    table(['node', 'imbalance before', 'after', 'nodal test'], r.nodes.map((n) => [n.id, fmt(n.imbalanceBefore, 3), fmt(n.imbalanceAfter, 3), fmt(n.nodalTest, 3)])),
    ...(r.grossErrors.length > 0 ? ['', 'gross errors:', ...r.grossErrors.map((e) => e.kind === 'bias' ? `  meter ${e.id} reads ${fmt(e.magnitude, 3)} ${(e.magnitude ?? 0) >= 0 ? 'high' : 'low'}${e.relative !== null ? ` (${(100 * e.relative).toFixed(1)} %)` : ''}, sigma ${fmt(e.sigma, 3)}` : `  unit ${e.id} loses ${fmt(e.magnitude, 3)}, sigma ${fmt(e.sigma, 3)}`)] : []),
  ].join('\n');
}
