import * as grpc from '@grpc/grpc-js';
import type { Command } from 'commander';
import { loadProtoPackage, type refluxSupplyChainV1 as v1 } from '@reflux/proto';
import { PLAINTEXT_TRANSPORT, type GrpcClientTransport } from '@reflux/grpc';
import { callCredentials, resolveToken } from '../grpc/connection';
import { unary } from '../grpc/ingestion-client';
import { cliTransport, type TlsOptions } from '../grpc/tls';
import { fromTimestamp } from '../io/time';
import { createOutput, table } from '../output';

type Unary<Req, Res> = (request: Req, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response: Res) => void) => grpc.ClientUnaryCall;

interface SupplyClient extends grpc.Client {
  getAllocation: Unary<v1.GetAllocationRequest, v1.GetAllocationResponse>;
}

function supplyClient(address: string, transport: GrpcClientTransport = PLAINTEXT_TRANSPORT): SupplyClient {
  const loaded = grpc.loadPackageDefinition(loadProtoPackage('reflux/supply_chain/v1/supply_chain.proto')) as unknown as {
    reflux: { supply_chain: { v1: { SupplyChainService: new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => SupplyClient } } };
  };
  return new loaded.reflux.supply_chain.v1.SupplyChainService(address, transport.credentials, transport.options);
}

/** Human summary of an allocation: header, costs, modules per site and period, late orders. */
function describe(a: v1.Allocation): string {
  const lines = [
    `allocation ${a.allocationId} (${a.published ? 'published' : 'proposed'}, trigger ${a.trigger}) at ${a.proposedAt ? fromTimestamp(a.proposedAt) : '?'}`,
    `objective ${a.objective.toFixed(0)} ${a.currency}, gap ${a.gapPercent.toFixed(2)} %, CO2 ${a.co2T.toFixed(1)} t, frozen periods ${a.frozenPeriods}`,
    '',
    table(['cost', a.currency], a.costs.filter((c) => c.amount !== 0).map((c) => [c.category, c.amount.toFixed(0)])),
    '',
  ];
  const sites = [...new Set(a.utilisation.map((u) => u.siteId))];
  const periods = Math.max(0, ...a.utilisation.map((u) => u.period + 1));
  lines.push(table(['site (t made / capacity per period)', ...Array.from({ length: periods }, (_, t) => `p${t}`)], sites.map((s) => [s, ...Array.from({ length: periods }, (_, t) => {
    const u = a.utilisation.find((x) => x.siteId === s && x.period === t);
    return u ? `${u.madeT.toFixed(0)}/${u.capacityT.toFixed(0)}` : '';
  })])));
  const late = a.orders.filter((o) => o.latePeriods > 0 || o.shortfallT > 0);
  lines.push('', late.length === 0 ? 'every order on time' : table(['late order', 'promised', 'late periods', 'short t'], late.map((o) => [o.orderId, o.promisedPeriod < 0 ? '-' : o.promisedPeriod, o.latePeriods, o.shortfallT.toFixed(1)])));
  return lines.join('\n');
}

/** `reflux supply allocation`: the allocation in force (or `--latest` proposal, e.g. a re-allocation after a trip). */
export function registerSupplyCommands(program: Command): void {
  const supply = program.command('supply').description('supply-chain coordination (the supply-chain service)');
  supply
    .command('allocation')
    .description('the published allocation (or the latest proposal when none is published): costs, site utilisation, late orders')
    .option('--address <host:port>', 'supply-chain gRPC address', process.env['REFLUX_SUPPLY_CHAIN_ADDRESS'] ?? '127.0.0.1:50055')
    .option('--token <jwt>', 'bearer token (default: REFLUX_TOKEN, or the embedded default development secret)')
    .option('--latest', 'the latest proposal (e.g. the re-allocation after a disruption) instead of the published one')
    .option('--id <allocationId>', 'a given allocation')
    .option('--json', 'machine-readable output')
    .action(async (o: TlsOptions & { address: string; token?: string; latest?: boolean; id?: string; json?: boolean }) => {
      const client = supplyClient(o.address, cliTransport(o));
      try {
        const r = await unary(client.getAllocation, client, { allocationId: o.id ?? (o.latest ? 'latest' : '') }, callCredentials(resolveToken(o)));
        createOutput(o.json === true).result(r.allocation, () => describe(r.allocation!));
      } finally {
        client.close();
      }
    });
}
