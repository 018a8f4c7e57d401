import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { callCredentials, resolveToken } from '../grpc/connection';
import { unary } from '../grpc/ingestion-client';
import { safetyClient } from '../grpc/safety-client';
import { cliTransport, type TlsOptions } from '../grpc/tls';
import { fromTimestamp, parseInstant, toTimestamp } from '../io/time';
import { createOutput, table } from '../output';

interface ReplayOptions extends TlsOptions {
  address: string;
  token?: string;
  json?: boolean;
  plant?: string;
  config: string;
  from: string;
  to: string;
  lookBack: string;
}

/** `reflux safety replay`: the alarm-rationalisation sandbox (ReplayAlarmConfiguration). */
export function registerSafetyReplayCommand(program: Command): void {
  const safety = program.commands.find((c) => c.name() === 'safety') ?? program.command('safety').description('alarm management and early warning');
  safety
    .command('replay')
    .description('replay a historical period through a candidate alarm configuration and compare its KPIs with the live one (live alarms untouched)')
    .requiredOption('--config <file>', 'candidate alarm configuration (JSON, the format of services/safety/config/)')
    .requiredOption('--from <time>', 'start (ISO 8601, epoch ms, -24h)')
    .option('--to <time>', 'end, exclusive', 'now')
    .option('--look-back <s>', 'seconds before a unit trip in which an alarm on the unit counts as its detection', '1800')
    .option('--plant <id>', 'plant id (default: the candidate document’s plantId)')
    .option('--address <host:port>', 'safety gRPC address', process.env['REFLUX_SAFETY_ADDRESS'] ?? '127.0.0.1:50054')
    .option('--token <jwt>', 'bearer token (default: REFLUX_TOKEN, or the embedded default development secret)')
    .option('--json', 'print one JSON object')
    .action(async (o: ReplayOptions) => {
      const text = readFileSync(o.config, 'utf8');
      let plantId = o.plant;
      try {
        plantId ??= (JSON.parse(text) as { plantId?: string }).plantId;
      } catch (error) {
        throw new Error(`--config ${o.config}: not JSON (${(error as Error).message})`);
      }
      if (!plantId) throw new Error('--plant: the candidate document names no plantId');
      const lookBackS = Number(o.lookBack);
      if (!(lookBackS > 0)) throw new Error(`--look-back: expected a positive number of seconds, got "${o.lookBack}"`);
      const client = safetyClient(o.address, cliTransport(o));
      try {
        const r = await unary(
          client.replayAlarmConfiguration,
          client,
          { plantId, candidateDocumentJson: text, range: { startTime: toTimestamp(parseInstant(o.from)), endTime: toTimestamp(parseInstant(o.to)) }, lookBackS },
          callCredentials(resolveToken(o)),
          300_000,
        );
        const incidents = r.incidents.map((i) => ({ unitId: i.unitId, tripped: fromTimestamp(i.tripTime!), liveLeadS: i.liveLeadS ?? null, candidateLeadS: i.candidateLeadS ?? null }));
        const result = { plantId, alarmsAvoided: r.alarmsAvoided, live: r.live, candidate: r.candidate, incidents };
        const line = (name: string, s: typeof r.live) => [name, s?.activations ?? 0, s?.floodIntervals ?? 0, s?.peakAlarmsPer10Min ?? 0, s?.chatteringAlarmIds.length ?? 0, s?.staleAlarmIds.length ?? 0];
        createOutput(o.json === true).result(result, () =>
          [
            table(['configuration', 'alarms', 'flood intervals', 'peak /10 min', 'chattering', 'stale'], [line('live', r.live), line('candidate', r.candidate)]),
            `alarms avoided: ${r.alarmsAvoided}`,
            incidents.length === 0 ? 'no unit trips in the period' : table(['unit', 'tripped', 'live lead s', 'candidate lead s'], incidents.map((i) => [i.unitId, i.tripped, i.liveLeadS, i.candidateLeadS])),
          ].join('\n'),
        );
      } finally {
        client.close();
      }
    });
}
