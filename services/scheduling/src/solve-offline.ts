/**
 * The scheduling service's offline solver: `reflux schedule solve --problem FILE [--json]
 * [--export-lp OUT.lp]` runs this entry (same code as the service: parse, formulate, solve in a
 * worker thread, explain). Exit status: 0 with a schedule, 3 infeasible, 4 no solution in time,
 * 2 invalid problem or arguments.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { toLpFormat, WorkerSolver } from '@reflux/optimization';
import { solveProblem } from './application/solve-problem';
import { formulate } from './domain/formulation/formulate';
import { parseProblem } from './domain/parse-problem';
import type { ScheduleResult } from './domain/schedule';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function gantt(r: ScheduleResult): string[] {
  if (!r.schedule) return [];
  const lines = r.schedule.units.map((u) => `${u.unit.padEnd(10)} ${u.periods.map((p) => (!p.available ? 'x' : p.changingOver ? '~' : p.mode ? p.mode.slice(0, 1) : '.')).join('')}`);
  return ['schedule (one character per period: first letter of the mode, . idle, ~ changeover, x unavailable):', ...lines];
}

function human(r: ScheduleResult): string {
  const out = [
    `${r.plant} (${r.formulation}): ${r.status}${r.objective !== undefined ? `, total cost ${r.objective.toFixed(2)} ${r.currency}` : ''}${r.gapPercent !== undefined ? `, gap ${r.gapPercent.toFixed(3)} %` : ''}`,
    `model ${r.size.rows} rows × ${r.size.columns} columns (${r.size.binaries} binaries, ${r.size.nonzeros} nonzeros), built in ${r.buildMs} ms, solved by ${r.backend} in ${r.solveMs} ms`,
  ];
  if (r.message) out.push(r.message);
  out.push(...gantt(r));
  if (r.costBreakdown) out.push('cost breakdown:', ...Object.entries(r.costBreakdown).filter(([, v]) => v !== 0).map(([k, v]) => `  ${k.padEnd(18)} ${v.toFixed(2).padStart(14)} ${r.currency}`));
  if (r.schedule) out.push(`energy cost ${r.schedule.energyCost.toFixed(2)} ${r.currency}, CO₂ ${r.schedule.co2T.toFixed(1)} t`);
  for (const d of r.schedule?.demands ?? []) if (d.lateT > 0 || d.shortfallT > 0) out.push(`  demand ${d.demand}: ${d.lateT.toFixed(1)} t late, ${d.shortfallT.toFixed(1)} t short`);
  if (r.bindingConstraints?.length) out.push('binding constraints (shadow price = cost change per unit more of the limit):', ...r.bindingConstraints.map((b) => `  ${b.shadowPrice.toFixed(2).padStart(12)} ${r.currency}/${b.unit}  ${b.meaning}  [${b.constraint}]`));
  if (r.infeasibility) out.push('to become feasible:', ...r.infeasibility.relaxations.slice(0, 10).map((x) => `  ${x.constraint} (${x.meaning ?? x.bound}): ${x.bound} limit ${x.limit}, short by ${x.violation}`));
  out.push(...r.yieldSources.filter((y) => y.source === 'reconciled' || y.note).map((y) => `yields ${y.unit}/${y.mode}: ${y.source}${y.origin ? ` (${y.origin}, ${y.observedAt})` : ''}${y.note ? ` — ${y.note}` : ''}`));
  return out.join('\n');
}

async function main(args: string[]): Promise<number> {
  const file = option(args, '--problem');
  if (!file) {
    process.stderr.write('usage: solve-offline --problem FILE [--json] [--export-lp OUT.lp]\n');
    return 2;
  }
  const document: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const exportTo = option(args, '--export-lp');
  if (exportTo) writeFileSync(exportTo, toLpFormat(formulate(parseProblem(document)).model));
  const solver = new WorkerSolver();
  try {
    const result = await solveProblem(document, solver);
    process.stdout.write(`${args.includes('--json') ? JSON.stringify(result, null, 2) : human(result)}\n`);
    if (result.status === 'infeasible' || result.status === 'infeasible-or-unbounded') return 3;
    return result.schedule ? 0 : 4;
  } finally {
    await solver.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const e = error as { code?: string; message?: string; violations?: { field: string; description: string }[] };
    process.stderr.write(`${e.code ?? 'error'}: ${e.message ?? String(error)}\n${(e.violations ?? []).map((v) => `  ${v.field}: ${v.description}\n`).join('')}`);
    process.exit(2);
  },
);
