import { GatewayError } from '../../domain/gateway.errors';
import type { Caller, SnapshotSource } from '../../application/snapshot-source.port';
import { isoOf, type GrpcTimestamp, type GrpcUpstream } from './grpc-upstream';

interface Allocation {
  allocationId: string;
  trigger: string;
  published: boolean;
  proposedAt?: GrpcTimestamp | null;
  objective: number;
  currency: string;
  gapPercent: number;
  co2T: number;
  costs: { category: string; amount: number }[];
  production: { siteId: string; processId: string; materialId: string; period: number; quantityT: number; modulesOn: number }[];
  shipments: { laneId: string; materialId: string; departurePeriod: number; arrivalPeriod: number; quantityT: number }[];
  orders: { orderId: string; promisedPeriod: number; latePeriods: number; shortfallT: number; deliveredT: number }[];
  utilisation: { siteId: string; period: number; madeT: number; capacityT: number; modulesOn: number; modulesAvailable: number }[];
  horizonStart?: GrpcTimestamp | null;
  periodHours: number;
  frozenPeriods: number;
}

/**
 * `/v1/snapshot/allocation`: the current allocation of the site network (supply-chain
 * GetAllocation: the published one, or the latest proposal when none is published). Before the
 * first optimisation `allocation` is null. Quantities in t, periods of `periodHours` h.
 */
export class SupplyChainAllocationSnapshot implements SnapshotSource {
  readonly kind = 'allocation';
  readonly service = 'supply-chain';
  constructor(private readonly upstream: GrpcUpstream) {}

  async read(_query: URLSearchParams, caller: Caller): Promise<unknown> {
    let a: Allocation;
    try {
      a = (await this.upstream.call<{ allocation: Allocation }>('GetAllocation', { allocationId: '' }, caller)).allocation;
    } catch (error) {
      if (error instanceof GatewayError && error.grpcStatus === 'NOT_FOUND') return { allocation: null, message: error.message };
      throw error;
    }
    return {
      allocation: {
        allocationId: a.allocationId,
        trigger: a.trigger,
        published: a.published,
        proposedAt: isoOf(a.proposedAt),
        horizonStart: isoOf(a.horizonStart),
        periodHours: a.periodHours,
        frozenPeriods: a.frozenPeriods,
        objective: a.objective,
        currency: a.currency,
        gapPercent: a.gapPercent,
        co2T: a.co2T,
        costs: a.costs,
        production: a.production,
        shipments: a.shipments,
        orders: a.orders,
        utilisation: a.utilisation,
      },
    };
  }
}
