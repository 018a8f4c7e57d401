/**
 * `reflux`: the command-line client for humans. Every command takes --json for machine-readable
 * output. Errors print one line (with field-level details when the server sent them) and exit 1.
 */
import { Command } from 'commander';
import { decodeGrpcError } from '@reflux/grpc';
import { registerAlarmsCommands } from './commands/alarms.command';
import { registerBalanceCommands } from './commands/balance.command';
import { registerBalanceResultCommands } from './commands/balance-results.command';
import { registerEventsCommands } from './commands/events.command';
import { registerEventsTraceCommand } from './commands/events-trace.command';
import { registerHistoryCommands } from './commands/history.command';
import { registerSafetyMonitoringCommands } from './commands/safety-monitoring.command';
import { registerSafetyReplayCommand } from './commands/safety-replay.command';
import { registerScheduleCommands } from './commands/schedule.command';
import { registerScheduleShowCommand } from './commands/schedule-show.command';
import { registerSupplyCommands } from './commands/supply.command';
import { registerTokenCommand } from './commands/token.command';
import { registerWriteCommand } from './commands/write.command';
import { addTlsOptionsToGrpcVerbs } from './grpc/tls';

export function buildProgram(): Command {
  const program = new Command('reflux').description('Reflux: plant-wide optimisation platform, command-line client').showHelpAfterError();
  registerTokenCommand(program);
  registerWriteCommand(program);
  registerHistoryCommands(program);
  registerEventsCommands(program);
  registerEventsTraceCommand(program);
  registerBalanceCommands(program);
  registerBalanceResultCommands(program);
  registerSafetyMonitoringCommands(program);
  registerSafetyReplayCommand(program);
  registerScheduleCommands(program);
  registerScheduleShowCommand(program);
  registerAlarmsCommands(program);
  registerSupplyCommands(program);
  addTlsOptionsToGrpcVerbs(program);
  return program;
}

function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && 'metadata' in error) {
    const decoded = decodeGrpcError(error);
    const fields = decoded.fieldViolations.map((v) => `\n  ${v.field}: ${v.description}`).join('');
    return `${decoded.statusName}${decoded.code ? ` ${decoded.code}` : ''}: ${decoded.message}${fields}`;
  }
  if (error && typeof error === 'object' && 'violations' in error && Array.isArray((error as { violations: unknown[] }).violations)) {
    const v = error as { code?: string; violations: { field: string; description: string }[] };
    return `${v.code ?? 'invalid input'}: ${v.violations.length} problem(s)${v.violations.map((x) => `\n  ${x.field}: ${x.description}`).join('')}`;
  }
  return error instanceof Error ? error.message : String(error);
}

if (require.main === module || process.argv[1]?.endsWith('reflux') || process.argv[1]?.endsWith('reflux.js')) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      process.stderr.write(`reflux: ${describe(error)}\n`);
      process.exit(1);
    });
}
