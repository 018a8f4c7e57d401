import type { Command } from 'commander';
import type { refluxSafetyV1 as v1 } from '@reflux/proto';
import { callCredentials, resolveToken } from '../grpc/connection';
import { unary } from '../grpc/ingestion-client';
import { safetyClient } from '../grpc/safety-client';
import { cliTransport, type TlsOptions } from '../grpc/tls';
import { fromTimestamp, parseInstant, toTimestamp } from '../io/time';
import { createOutput, table } from '../output';

interface CommonOptions extends TlsOptions {
  address: string;
  token?: string;
  json?: boolean;
  plant: string;
}

const short = (enumName: string, prefix: string) => enumName.replace(prefix, '').toLowerCase().replace(/_/g, ' ');

function common(command: Command): Command {
  return command
    .option('--address <host:port>', 'safety gRPC address', process.env['REFLUX_SAFETY_ADDRESS'] ?? '127.0.0.1:50054')
    .option('--token <jwt>', 'bearer token (default: REFLUX_TOKEN, or the embedded default development secret)')
    .option('--plant <id>', 'plant id', process.env['REFLUX_PLANT'] ?? 'demo-petrochemical-site')
    .option('--json', 'machine-readable output');
}

/** `reflux alarms` (active alarms) and `reflux alarms journal` (lifecycle events, newest first). */
export function registerAlarmsCommands(program: Command): void {
  const alarms = common(program.command('alarms').description('active alarms (not normal); `alarms journal` for the alarm journal'))
    .option('--area <id>', 'only this area')
    .option('--console <id>', 'only this console')
    .option('--priority <p>', 'low, medium or high')
    .action(async (o: CommonOptions & { area?: string; console?: string; priority?: string }) => {
      if (o.priority !== undefined && !['low', 'medium', 'high'].includes(o.priority)) throw new Error(`--priority: expected low, medium or high, got "${o.priority}"`);
      const client = safetyClient(o.address, cliTransport(o));
      const metadata = callCredentials(resolveToken(o));
      const found: v1.Alarm[] = [];
      let pageToken = '';
      try {
        do {
          const page = await unary(
            client.listActiveAlarms,
            client,
            { plantId: o.plant, area: o.area ?? '', console: o.console ?? '', priority: (o.priority ? `ALARM_PRIORITY_${o.priority.toUpperCase()}` : 'ALARM_PRIORITY_UNSPECIFIED') as v1.AlarmPriority, status: 'ALARM_STATUS_UNSPECIFIED' as v1.AlarmStatus, tagId: '', pageSize: 1000, pageToken },
            metadata,
          );
          found.push(...page.alarms);
          pageToken = page.nextPageToken;
        } while (pageToken);
      } finally {
        client.close();
      }
      const rows = found.map((a) => ({
        alarmId: a.alarmId,
        priority: short(a.priority, 'ALARM_PRIORITY_'),
        status: short(a.status, 'ALARM_STATUS_'),
        raised: a.raisedTime ? fromTimestamp(a.raisedTime) : null,
        value: a.value ?? null,
        limit: a.limit ?? null,
        area: a.area,
        console: a.console,
        shelvedUntil: a.shelfExpiryTime ? fromTimestamp(a.shelfExpiryTime) : null,
      }));
      createOutput(o.json === true).result(rows, () =>
        rows.length === 0 ? 'no active alarms' : table(['alarm', 'priority', 'status', 'raised', 'value', 'limit', 'area', 'console'], rows.map((r) => [r.alarmId, r.priority, r.status, r.raised, significant(r.value), significant(r.limit), r.area, r.console])),
      );
    });

  common(alarms.command('journal').description('the alarm journal: every lifecycle event in a time range, newest first'))
    .option('--from <time>', 'start (ISO 8601, epoch ms, -1h)', '-24h')
    .option('--to <time>', 'end, exclusive', 'now')
    .option('--alarm <id>', 'only this alarm (<tag>/<kind>)')
    .option('--limit <n>', 'stop after this many entries', '200')
    .action(async (o: CommonOptions & { from: string; to: string; alarm?: string; limit: string }) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit: expected a positive integer, got "${o.limit}"`);
      const client = safetyClient(o.address, cliTransport(o));
      const metadata = callCredentials(resolveToken(o));
      const range = { startTime: toTimestamp(parseInstant(o.from)), endTime: toTimestamp(parseInstant(o.to)) };
      const entries: v1.JournalEntry[] = [];
      let pageToken = '';
      try {
        do {
          const page = await unary(client.getAlarmJournal, client, { plantId: o.plant, range, alarmId: o.alarm ?? '', pageSize: Math.min(1000, limit - entries.length), pageToken }, metadata);
          entries.push(...page.entries);
          pageToken = page.nextPageToken;
        } while (pageToken && entries.length < limit);
      } finally {
        client.close();
      }
      const rows = entries.map((e) => ({ time: fromTimestamp(e.time), alarmId: e.alarmId, event: e.eventType, actor: e.actor, reason: e.reason, value: e.value ?? null, text: e.text }));
      createOutput(o.json === true).result(rows, () => table(['time', 'alarm', 'event', 'by', 'reason', 'value'], rows.map((r) => [r.time, r.alarmId, r.event, r.actor, r.text || r.reason, r.value])));
    });
}

/** A reading for the table, six significant digits (the JSON output keeps the value as sent). */
function significant(value: number | null): string {
  return value === null ? '' : String(Number(value.toPrecision(6)));
}
