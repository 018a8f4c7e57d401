import type { Command } from 'commander';
import type { refluxBalancingV1 as v1 } from '@reflux/proto';
import { callCredentials, resolveToken } from '../grpc/connection';
import { balancingClient } from '../grpc/balancing-client';
import { unary } from '../grpc/ingestion-client';
import { fromTimestamp, parseInstant, toTimestamp } from '../io/time';
import { createOutput, table } from '../output';
import { cliTransport, type TlsOptions } from '../grpc/tls';

interface CommonOptions extends TlsOptions {
  address: string;
  token?: string;
  json?: boolean;
  plant: string;
}

const short = (value: unknown, prefix: string) => String(value).replace(prefix, '').toLowerCase().replace(/_/g, ' ');
const fmt = (x: number | null | undefined, digits = 4) => (x === null || x === undefined ? '' : x.toPrecision(digits));

function common(command: Command): Command {
  return command
    .option('--address <host:port>', 'balancing gRPC address', process.env['REFLUX_BALANCING_ADDRESS'] ?? `127.0.0.1:${process.env['REFLUX_BALANCING_PORT'] ?? '50052'}`)
    .option('--token <jwt>', 'bearer token (default: REFLUX_TOKEN, or the embedded default development secret)')
    .option('--plant <id>', 'plant id', process.env['REFLUX_PLANT'] ?? 'demo-petrochemical-site')
    .option('--json', 'machine-readable output');
}

/**
 * `reflux balance show` (the stored balance of the latest or a given window, whole plant or one
 * unit) and `reflux balance suspects` (gross errors and losses of a time range), read from the
 * running balancing service over gRPC (GetBalance, ListSuspects).
 */
export function registerBalanceResultCommands(program: Command): void {
  const balance = program.commands.find((c) => c.name() === 'balance') ?? program.command('balance').description('material and energy balances');

  common(balance.command('show').description("the balancing service's reconciled balance of the latest window (or --window), whole plant or one unit"))
    .option('--unit <id>', 'only this unit: its inlets, outlets, closure and yields')
    .option('--window <time>', 'the window starting at this time (ISO 8601, epoch ms, -2h) instead of the latest')
    .action(async (o: CommonOptions & { unit?: string; window?: string }) => {
      const client = balancingClient(o.address, cliTransport(o));
      try {
        const window = o.window === undefined ? null : { startTime: toTimestamp(parseInstant(o.window)), endTime: null };
        const { result } = await unary(client.getBalance, client, { plantId: o.plant, window, unitId: o.unit ?? '' }, callCredentials(resolveToken(o)));
        createOutput(o.json === true).result(result, () => humanBalance(result!));
        if (result?.globalTestAfter?.rejected) process.exitCode = 4;
      } finally {
        client.close();
      }
    });

  common(balance.command('suspects').description('gross errors (biased meters and analysers) and losses of the windows starting in a time range, oldest first'))
    .option('--from <time>', 'start (ISO 8601, epoch ms, -1h)', '-24h')
    .option('--to <time>', 'end, exclusive', 'now')
    .option('--kind <kind>', 'gross-error or loss (default: both)')
    .option('--limit <n>', 'stop after this many suspects', '1000')
    .action(async (o: CommonOptions & { from: string; to: string; kind?: string; limit: string }) => {
      const kinds: Record<string, string> = { 'gross-error': 'SUSPECT_KIND_GROSS_ERROR', loss: 'SUSPECT_KIND_LOSS' };
      if (o.kind !== undefined && !(o.kind in kinds)) throw new Error(`--kind: expected gross-error or loss, got "${o.kind}"`);
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit: expected a positive integer, got "${o.limit}"`);
      const client = balancingClient(o.address, cliTransport(o));
      const metadata = callCredentials(resolveToken(o));
      const range = { startTime: toTimestamp(parseInstant(o.from)), endTime: toTimestamp(parseInstant(o.to)) };
      const found: v1.Suspect[] = [];
      let pageToken = '';
      try {
        do {
          const page = await unary(
            client.listSuspects,
            client,
            { plantId: o.plant, range, kind: (o.kind ? kinds[o.kind] : 'SUSPECT_KIND_UNSPECIFIED') as unknown as v1.SuspectKind, pageSize: Math.min(1000, limit - found.length), pageToken },
            metadata,
          );
          found.push(...page.suspects);
          pageToken = page.nextPageToken;
        } while (pageToken && found.length < limit);
      } finally {
        client.close();
      }
      const rows = found.map(suspectRow);
      createOutput(o.json === true).result(rows, () =>
        rows.length === 0
          ? `no suspects of plant ${o.plant} in windows starting from ${range.startTime ? fromTimestamp(range.startTime) : o.from}`
          : table(
              ['window start', 'kind', 'tag / unit', 'stream', 'estimate', 'sigma', 'statistic', 'critical', 'equivalent'],
              rows.map((r) => [r.windowStart, r.kind, r.tagId ?? r.unitId, r.streamId, r.estimate, fmt(r.sigmaKgPerS, 3), fmt(r.testStatistic, 3), fmt(r.criticalValue, 3), r.equivalentIds.join(' ')]),
            ),
      );
    });
}

function suspectRow(s: v1.Suspect) {
  const window = { windowStart: fromTimestamp(s.window?.startTime), windowEnd: fromTimestamp(s.window?.endTime), plantModelVersion: s.plantModelVersion };
  const g = s.grossError;
  if (g && g.tagId) {
    return {
      ...window,
      kind: 'gross-error' as const,
      tagId: g.tagId,
      unitId: null,
      streamId: g.streamId,
      component: g.component || null,
      biasKgPerS: g.estimatedBiasKgPerS,
      biasTagUnit: g.estimatedBiasTagUnit,
      tagUnit: g.tagUnit,
      relativeBiasPercent: g.relativeBiasPercent ?? null,
      lossKgPerS: null,
      sigmaKgPerS: g.standardDeviationKgPerS,
      testStatistic: g.testStatistic,
      criticalValue: g.criticalValue,
      equivalentIds: g.equivalentIds,
      estimate: `${fmt(g.estimatedBiasTagUnit, 3)} ${g.tagUnit}${g.relativeBiasPercent != null ? ` (${g.relativeBiasPercent.toFixed(1)} %)` : ''}${g.component ? ` ${g.component}` : ''}`,
    };
  }
  const l = s.loss!;
  return {
    ...window,
    kind: 'loss' as const,
    tagId: null,
    unitId: l.unitId,
    streamId: null,
    component: null,
    biasKgPerS: null,
    biasTagUnit: null,
    tagUnit: null,
    relativeBiasPercent: null,
    lossKgPerS: l.estimatedLossKgPerS,
    sigmaKgPerS: l.standardDeviationKgPerS,
    testStatistic: l.testStatistic,
    criticalValue: l.criticalValue,
    equivalentIds: l.equivalentIds,
    estimate: `${fmt(l.estimatedLossKgPerS, 3)} kg/s ${l.estimatedLossKgPerS >= 0 ? 'lost' : 'gained'}`,
  };
}

function humanBalance(r: v1.BalanceResult): string {
  const test = (g: v1.GlobalTest | null | undefined) => (g ? `statistic ${fmt(g.statistic)} on ${g.degreesOfFreedom} dof, critical ${fmt(g.criticalValue)}: ${g.rejected ? 'REJECTED' : 'passed'}` : 'none');
  return [
    `plant ${r.plantId}, window ${fromTimestamp(r.window?.startTime)} – ${fromTimestamp(r.window?.endTime)}, plant model v${r.plantModelVersion}, reconciled ${fromTimestamp(r.reconciledTime)}`,
    `global test: ${test(r.globalTest)}; after removing gross errors: ${test(r.globalTestAfter)}`,
    '',
    table(
      ['stream', 'from', 'to', 'measured kg/s', 'reconciled kg/s', 'sigma', 'adjustment', 'meas. test', 'class', 'gross error'],
      r.streams.map((s) => [
        s.streamId,
        s.fromUnitId,
        s.toUnitId,
        fmt(s.measuredMassFlowKgPerS),
        fmt(s.reconciledMassFlowKgPerS),
        fmt(s.standardDeviationKgPerS, 3),
        fmt(s.adjustmentKgPerS, 3),
        fmt(s.measurementTestStatistic, 3),
        short(s.classification, 'CLASSIFICATION_'),
        s.grossError ? 'yes' : '',
      ]),
    ),
    '',
    table(
      ['unit', 'imbalance before kg/s', 'after', 'closure before', 'after', 'nodal test', 'suspect'],
      r.units.map((u) => [u.unitId, fmt(u.imbalanceBeforeKgPerS, 3), fmt(u.imbalanceAfterKgPerS, 3), fmt(u.closureErrorBeforeRatio, 3), fmt(u.closureErrorAfterRatio, 3), fmt(u.nodalTestStatistic, 3), u.suspect ? 'yes' : '']),
    ),
    ...(r.grossErrors.length + r.losses.length > 0
      ? [
          '',
          'suspects:',
          ...r.grossErrors.map((g) => `  meter ${g.tagId}${g.component ? ` (${g.component})` : ''} on ${g.streamId} reads ${fmt(g.estimatedBiasTagUnit, 3)} ${g.tagUnit} ${g.estimatedBiasKgPerS >= 0 ? 'high' : 'low'}${g.relativeBiasPercent != null ? ` (${g.relativeBiasPercent.toFixed(1)} %)` : ''}`),
          ...r.losses.map((l) => `  unit ${l.unitId} ${l.estimatedLossKgPerS >= 0 ? 'loses' : 'gains'} ${fmt(Math.abs(l.estimatedLossKgPerS), 3)} kg/s${l.equivalentIds.length > 0 ? ` (or equivalently ${l.equivalentIds.join(', ')})` : ''}`),
        ]
      : []),
    ...(r.warnings.length > 0 ? ['', 'warnings:', ...r.warnings.map((w) => `  ${w}`)] : []),
  ].join('\n');
}
