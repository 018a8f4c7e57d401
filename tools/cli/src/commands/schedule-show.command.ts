import type { Command } from 'commander';
import type { refluxSchedulingV1 as v1 } from '@reflux/proto';
import { callCredentials, resolveToken } from '../grpc/connection';
import { unary } from '../grpc/ingestion-client';
import { schedulingClient } from '../grpc/scheduling-client';
import { cliTransport, type TlsOptions } from '../grpc/tls';
import { fromTimestamp } from '../io/time';
import { createOutput } from '../output';

/** Mode letters: the first letter of each mode id, upper case when taken (`naphtha`, `nitrogen` → n, N). */
function letters(schedule: v1.Schedule): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const mode of [...new Set(schedule.units.flatMap((u) => u.periods.map((p) => p.modeId)).filter((m) => m !== ''))].sort()) {
    const candidates = [mode[0]!.toLowerCase(), mode[0]!.toUpperCase(), ...'abcdefghijklmnopqrstuvwyz0123456789'];
    const letter = candidates.find((c) => !used.has(c) && c !== 'x')!;
    used.add(letter);
    out.set(mode, letter);
  }
  return out;
}

/** A Gantt-like table: one row per unit, one character per period, hour marks above, mode legend below. */
export function gantt(label: string, s: v1.Schedule): string {
  const codes = letters(s);
  const start = fromTimestamp(s.horizonStartTime) ?? '';
  const width = Math.max(...s.units.map((u) => u.unitId.length), 4);
  const hours = Array.from({ length: s.periods }, (_, t) => (t % 6 === 0 ? String(Math.floor((t * s.periodHours) % 24)).padEnd(6) : '')).join('').slice(0, s.periods);
  const lines = [
    `${label} ${s.scheduleId} (${s.reason}${s.publishedBy ? `, published by ${s.publishedBy} ${fromTimestamp(s.publishTime) ?? ''}` : `, proposed ${fromTimestamp(s.proposeTime) ?? ''}`})`,
    `  ${s.formulation}, ${s.solverStatus}, total cost ${s.objective.toFixed(0)} ${s.currency}${s.gapPercent !== null && s.gapPercent !== undefined ? ` (gap ${s.gapPercent.toFixed(2)} %)` : ''}, energy ${s.energyCost.toFixed(0)} ${s.currency}, CO₂ ${s.co2T.toFixed(1)} t`,
    `  horizon from ${start}, ${s.periods} × ${s.periodHours} h${s.frozenPeriods > 0 ? `, first ${s.frozenPeriods} frozen` : ''}${s.unavailableUnitIds.length > 0 ? `, left out: ${s.unavailableUnitIds.join(', ')}` : ''}`,
    `  ${''.padEnd(width)} ${hours}`,
    ...s.units.map((u) => `  ${u.unitId.padEnd(width)} ${u.periods.map((p) => (!p.available ? 'x' : p.changingOver ? '~' : p.modeId ? codes.get(p.modeId)! : '.')).join('')}  ${u.periods.reduce((sum, p) => sum + p.throughputT, 0).toFixed(0)} t`),
    `  ${[...codes].map(([mode, c]) => `${c} ${mode}`).join(', ')}; . idle, ~ changeover, x unavailable`,
  ];
  return lines.join('\n');
}

/**
 * `reflux schedule show [--plant P] [--json]`: the published schedule of the running plant, and the
 * newest proposal when it is newer, as Gantt-like tables (one row per unit, one column per period).
 */
export function registerScheduleShowCommand(program: Command): void {
  const schedule = program.commands.find((c) => c.name() === 'schedule') ?? program.command('schedule').description('production and energy scheduling');
  schedule
    .command('show')
    .description('print the published (and a newer proposed) schedule of a plant as a Gantt-like table')
    .option('--address <host:port>', 'scheduling gRPC address', process.env['REFLUX_SCHEDULING_ADDRESS'] ?? '127.0.0.1:50053')
    .option('--token <jwt>', 'bearer token (default: REFLUX_TOKEN, or the embedded default development secret)')
    .option('--plant <id>', 'plant id', process.env['REFLUX_PLANT'] ?? 'demo-petrochemical-site')
    .option('--json', 'machine-readable output')
    .action(async (o: TlsOptions & { address: string; token?: string; plant: string; json?: boolean }) => {
      const client = schedulingClient(o.address, cliTransport(o));
      let found: v1.GetScheduleResponse;
      try {
        found = await unary(client.getSchedule, client, { plantId: o.plant }, callCredentials(resolveToken(o)));
      } finally {
        client.close();
      }
      createOutput(o.json === true).result(found, () =>
        [found.published ? gantt('published', found.published) : `no published schedule for ${o.plant} yet`, ...(found.proposed ? ['', gantt('proposed', found.proposed)] : [])].join('\n'),
      );
    });
}
