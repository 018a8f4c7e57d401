import type { Caller, LatestBalanceWindows, SnapshotSource } from '../../application/snapshot-source.port';
import { isoOf, timestampOf, type GrpcUpstream } from './grpc-upstream';

interface BalanceResult {
  plantId: string;
  plantModelVersion: number;
  window?: { startTime?: { seconds?: string; nanos?: number } | null; endTime?: { seconds?: string; nanos?: number } | null } | null;
  streams: Record<string, unknown>[];
  units: Record<string, unknown>[];
  grossErrors: Record<string, unknown>[];
  losses: Record<string, unknown>[];
  globalTest?: Record<string, unknown> | null;
  reconciledTime?: { seconds?: string; nanos?: number } | null;
}

/**
 * `/v1/snapshot/balances`: for each plant, the latest reconciled window (known from the log's
 * BalanceReconciled / BalanceRevised events) read through balancing GetBalance: streams with
 * reconciled mass flows (kg/s), unit closures, suspected gross errors and losses.
 */
export class BalancingBalancesSnapshot implements SnapshotSource {
  readonly kind = 'balances';
  readonly service = 'balancing';
  constructor(
    private readonly upstream: GrpcUpstream,
    private readonly latest: LatestBalanceWindows,
  ) {}

  async read(query: URLSearchParams, caller: Caller): Promise<unknown> {
    const only = query.get('plantId');
    const balances = [];
    for (const [plantId, window] of this.latest.windows()) {
      if (only && only !== plantId) continue;
      const response = await this.upstream.call<{ result: BalanceResult }>(
        'GetBalance',
        { plantId, window: { startTime: timestampOf(new Date(window.start)), endTime: timestampOf(new Date(window.end)) }, unitId: query.get('unitId') ?? '' },
        caller,
      );
      const r = response.result;
      balances.push({
        plantId: r.plantId,
        plantModelVersion: r.plantModelVersion,
        window: { start: isoOf(r.window?.startTime), end: isoOf(r.window?.endTime) },
        position: window.position,
        reconciledAt: isoOf(r.reconciledTime),
        globalTest: r.globalTest ?? undefined,
        streams: r.streams,
        units: r.units,
        grossErrors: r.grossErrors,
        losses: r.losses,
      });
    }
    return { balances };
  }
}
