import type { Decider } from '@reflux/decider';
import type { Allocation } from './allocation';
import type { Network } from './network.schema';
import { SupplyChainError, SupplyChainErrorCode } from './supply-chain.errors';

/**
 * A site runs fewer modules, and/or makes `lostTPerPeriod` t per period less than its modules
 * could (a suspected loss), over a window ([fromPeriod, toPeriod) of the horizon).
 */
export interface SiteDisruption {
  readonly site: string;
  readonly process?: string;
  readonly fromPeriod: number;
  readonly toPeriod: number;
  readonly availableModules?: number;
  readonly lostTPerPeriod?: number;
}

export interface LaneClosure {
  readonly lane: string;
  readonly fromPeriod: number;
  readonly toPeriod: number;
}

export interface ProposedAllocation {
  readonly allocationId: string;
  readonly trigger: string;
  readonly at: string;
  readonly frozenPeriods: number;
  readonly allocation: Allocation;
}

export type CoordinationEvent =
  | { readonly type: 'AllocationProposed'; readonly data: ProposedAllocation }
  | { readonly type: 'AllocationPublished'; readonly data: { readonly allocationId: string; readonly at: string; readonly by: string } }
  | { readonly type: 'SiteTargetsPublished'; readonly data: { readonly allocationId: string; readonly site: string; readonly targets: readonly { process: string; material: string; period: number; quantityT: number; modulesOn: number }[]; readonly at: string } }
  | { readonly type: 'ShipmentPlanned'; readonly data: { readonly allocationId: string; readonly lane: string; readonly material: string; readonly period: number; readonly arrivalPeriod: number; readonly quantityT: number } }
  | { readonly type: 'SiteDisrupted'; readonly data: SiteDisruption & { readonly reason: string; readonly at: string; readonly source: string } }
  | { readonly type: 'LaneClosed'; readonly data: LaneClosure & { readonly reason: string; readonly at: string; readonly source: string } };

export type CoordinationCommand =
  | { readonly type: 'ProposeAllocation'; readonly data: ProposedAllocation }
  | { readonly type: 'PublishAllocation'; readonly data: { readonly allocationId: string; readonly at: string; readonly by: string } }
  | { readonly type: 'RecordDisruption'; readonly data: { readonly site?: SiteDisruption; readonly lane?: LaneClosure; readonly reason: string; readonly at: string; readonly source: string } };

export const COORDINATION_EVENT_TYPES = ['AllocationProposed', 'AllocationPublished', 'SiteTargetsPublished', 'ShipmentPlanned', 'SiteDisrupted', 'LaneClosed'] as const;
export const COORDINATION_STREAM = 'supply-network';

export interface CoordinationState {
  readonly disruptions: readonly SiteDisruption[];
  readonly closures: readonly LaneClosure[];
  /** The latest proposals (the last few) and the published one, by id. */
  readonly allocations: ReadonlyMap<string, ProposedAllocation>;
  readonly latestId?: string;
  readonly publishedId?: string;
  /** Sources (integration event ids, request ids) already recorded as disruptions. */
  readonly sources: ReadonlySet<string>;
}

const KEEP = 8;

function exhaustive(x: never): never {
  throw new Error(`unknown ${JSON.stringify(x)}`);
}

/** The network in force: the configured document with the recorded disruptions applied. */
export function networkInForce(base: Network, state: CoordinationState, orders: Network['orders']): Network {
  const capacityChanges = [...base.capacityChanges, ...state.disruptions.map((d) => ({ site: d.site, process: d.process, fromPeriod: d.fromPeriod, toPeriod: d.toPeriod, availableModules: d.availableModules, lostTPerPeriod: d.lostTPerPeriod }))];
  const lanes = base.lanes.map((l) => ({ ...l, closed: [...l.closed, ...state.closures.filter((c) => c.lane === l.id).map((c) => ({ fromPeriod: c.fromPeriod, toPeriod: c.toPeriod }))] }));
  return { ...base, orders, lanes, capacityChanges };
}

/** The plan in force: the published allocation, else the latest proposal. */
export function allocationInForce(state: CoordinationState): ProposedAllocation | undefined {
  const id = state.publishedId ?? state.latestId;
  return id === undefined ? undefined : state.allocations.get(id);
}

/**
 * The coordination stream of the network: proposals, publication (with each site's targets and
 * the planned shipments), disruptions and lane closures. A disruption from a source already
 * recorded (a redelivered trip) changes nothing; only a known proposal can be published, once.
 */
export const coordinationDecider: Decider<CoordinationCommand, CoordinationEvent, CoordinationState> = {
  initialState: () => ({ disruptions: [], closures: [], allocations: new Map(), sources: new Set() }),
  decide(command, state) {
    switch (command.type) {
      case 'ProposeAllocation':
        return [{ type: 'AllocationProposed', data: command.data }];
      case 'PublishAllocation': {
        const { allocationId, at, by } = command.data;
        const proposal = state.allocations.get(allocationId);
        if (!proposal) throw new SupplyChainError(SupplyChainErrorCode.noAllocation, `no allocation ${allocationId} (known: ${[...state.allocations.keys()].join(', ') || 'none'})`, [{ field: 'allocation_id', description: 'unknown or superseded allocation' }]);
        if (state.publishedId === allocationId) return [];
        const bySite = new Map<string, { process: string; material: string; period: number; quantityT: number; modulesOn: number }[]>();
        for (const p of proposal.allocation.production) (bySite.get(p.site) ?? bySite.set(p.site, []).get(p.site)!).push({ process: p.process, material: p.material, period: p.period, quantityT: p.quantityT, modulesOn: p.modulesOn });
        return [
          { type: 'AllocationPublished', data: { allocationId, at, by } },
          ...[...bySite].map(([site, targets]) => ({ type: 'SiteTargetsPublished' as const, data: { allocationId, site, targets, at } })),
          ...proposal.allocation.shipments.map((s) => ({ type: 'ShipmentPlanned' as const, data: { allocationId, lane: s.lane, material: s.material, period: s.period, arrivalPeriod: s.arrivalPeriod, quantityT: s.quantityT } })),
        ];
      }
      case 'RecordDisruption': {
        const d = command.data;
        if (state.sources.has(d.source)) return [];
        const meta = { reason: d.reason, at: d.at, source: d.source };
        return [...(d.site ? [{ type: 'SiteDisrupted' as const, data: { ...d.site, ...meta } }] : []), ...(d.lane ? [{ type: 'LaneClosed' as const, data: { ...d.lane, ...meta } }] : [])];
      }
      default:
        return exhaustive(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'AllocationProposed': {
        const allocations = new Map(state.allocations);
        allocations.set(event.data.allocationId, event.data);
        for (const id of allocations.keys()) if (allocations.size > KEEP && id !== state.publishedId) allocations.delete(id);
        return { ...state, allocations, latestId: event.data.allocationId };
      }
      case 'AllocationPublished':
        return { ...state, publishedId: event.data.allocationId };
      case 'SiteTargetsPublished':
      case 'ShipmentPlanned':
        return state;
      case 'SiteDisrupted': {
        const { reason: _r, at: _a, source, ...d } = event.data;
        return { ...state, disruptions: [...state.disruptions, d], sources: new Set(state.sources).add(source) };
      }
      case 'LaneClosed': {
        const { reason: _r, at: _a, source, ...c } = event.data;
        return { ...state, closures: [...state.closures, c], sources: new Set(state.sources).add(source) };
      }
      default:
        return exhaustive(event);
    }
  },
};
