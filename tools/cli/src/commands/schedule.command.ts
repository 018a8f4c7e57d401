import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';

const root = join(__dirname, '..', '..', '..', '..');

/**
 * `reflux schedule solve --problem FILE [--json] [--export-lp OUT.lp]`: solves a scheduling problem
 * document offline with the scheduling service's own code, run as its offline entry point in a
 * child process (the CLI does not import a service's code). Prints objective, status, gap and the
 * schedule; exit status 3 when infeasible (the conflicting constraints are named), 4 when no
 * solution was found in the time limit, 2 for an invalid document.
 */
export function registerScheduleCommands(program: Command): void {
  const schedule = program.command('schedule').description('production and energy scheduling');
  schedule
    .command('solve')
    .description('solve a problem document (services/scheduling/README.md) offline and print the schedule')
    .requiredOption('--problem <file>', 'problem document (JSON), e.g. services/scheduling/examples/petrochemical.milp.json')
    .option('--json', 'print the full result as JSON')
    .option('--export-lp <file>', 'also write the model in CPLEX LP format')
    .action((o: { problem: string; json?: boolean; exportLp?: string }) => {
      const args = ['--problem', resolve(o.problem), ...(o.json ? ['--json'] : []), ...(o.exportLp ? ['--export-lp', resolve(o.exportLp)] : [])];
      const entry = join(root, 'services', 'scheduling', 'src', 'solve-offline.ts');
      const child = spawnSync(process.execPath, ['-r', join(root, 'scripts', 'register.cjs'), entry, ...args], { stdio: 'inherit' });
      if (child.error) throw child.error;
      process.exitCode = child.status ?? 1;
    });
}
