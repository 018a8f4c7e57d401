import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { callCredentials, resolveToken } from '../grpc/connection';
import { unary } from '../grpc/ingestion-client';
import { schedulingClient } from '../grpc/scheduling-client';
import { createOutput } from '../output';
import { energyPricesRequest } from './schedule-prices';

const root = join(__dirname, '..', '..', '..', '..');

/**
 * `reflux schedule solve --problem FILE [--json] [--export-lp OUT.lp]`: solves a scheduling problem
 * document offline with the scheduling service's own code, run as its offline entry point in a
 * child process (the CLI does not import a service's code). Prints objective, status, gap and the
 * schedule; exit status 3 when infeasible (the conflicting constraints are named), 4 when no
 * solution was found in the time limit, 2 for an invalid document.
 *
 * `reflux schedule prices --file PRICES.json [--plant P]`: sends time-of-use power, fuel and CO₂
 * prices to the scheduling service (SetEnergyPrices); the plant is re-planned with them.
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
  schedule
    .command('prices')
    .description('set energy prices (time-of-use power, fuels, CO₂) of a plant; the service re-plans with them')
    .requiredOption('--file <file>', 'prices (JSON): {"power": [{"from", "to", "pricePerMWh"}], "fuels": [{"fuel", "from", "to", "pricePerMWh"}], "co2PricePerT"}')
    .option('--address <host:port>', 'scheduling gRPC address', process.env['REFLUX_SCHEDULING_ADDRESS'] ?? '127.0.0.1:50053')
    .option('--token <jwt>', 'bearer token, role integrator (default: REFLUX_TOKEN, or the embedded default development secret)')
    .option('--plant <id>', 'plant id', process.env['REFLUX_PLANT'] ?? 'demo-petrochemical-site')
    .option('--json', 'machine-readable output')
    .action(async (o: { file: string; address: string; token?: string; plant: string; json?: boolean }) => {
      const request = energyPricesRequest(o.plant, readFileSync(resolve(o.file), 'utf8'));
      const client = schedulingClient(o.address);
      try {
        const r = await unary(client.setEnergyPrices, client, request, callCredentials(resolveToken(o)));
        createOutput(o.json === true).result({ requestId: request.requestId, ...r }, () =>
          r.idempotentReplay ? `prices ${request.requestId} were already set; nothing changed` : `prices ${request.requestId} set for ${o.plant}${r.jobId ? `; re-plan job ${r.jobId}` : ''}`,
        );
      } finally {
        client.close();
      }
    });
}
