import { deterministicUuid } from '@reflux/decider';
import { EVENT_STORE_ERROR_CODES, type EventStore } from '@reflux/event-store';
import type { EnergyPrices } from '../domain/energy-prices';
import type { OpenDemand, ReportedState, ReportedUnitState } from '../domain/replan';
import type { AchievableTarget, SiteTargets } from '../domain/site-targets';
import { SchedulingError, SchedulingErrorCode } from '../domain/scheduling.errors';

/** `scheduling-inputs-<plant>`: demands, unit states and energy prices reported to scheduling, one event per request. */
export const inputsStreamId = (plantId: string): string => `scheduling-inputs-${plantId}`;

export type InputEvent =
  | { readonly type: 'DemandsSet'; readonly data: { readonly requestId: string; readonly demands: readonly OpenDemand[] } }
  | { readonly type: 'EnergyPricesSet'; readonly data: { readonly requestId: string; readonly prices: EnergyPrices } }
  | { readonly type: 'SiteTargetsReceived'; readonly data: { readonly requestId: string; readonly targets: SiteTargets } }
  | { readonly type: 'SiteCapacityReported'; readonly data: { readonly requestId: string; readonly allocationId: string; readonly scheduleId: string; readonly achievable: readonly AchievableTarget[] } }
  | {
      readonly type: 'UnitStateReported';
      readonly data: { readonly requestId: string; readonly unitId: string; readonly state: ReportedState; readonly at: string; readonly expectedReturnAt?: string; readonly reason: string };
    };

export interface PlantInputs {
  /** The last demands set, if any (replacing the production model's). */
  readonly demands?: readonly OpenDemand[];
  /** The last reported state per unit or machine. */
  readonly unitStates: readonly ReportedUnitState[];
  /** The last energy prices set, if any (replacing the production model's where given). */
  readonly energyPrices?: EnergyPrices;
  /** The newest supply-chain targets (by publication time, whatever the arrival order). */
  readonly siteTargets?: SiteTargets;
  /** What was last reported to supply chain as achievable, for the allocation of `siteTargets`. */
  readonly capacityReported?: readonly AchievableTarget[];
}

/**
 * Records a request by its caller-chosen id: the event id derives from plant and request id, so a
 * repeated request with the same content is recognised by the event store (a replay), and the same
 * id with other content is refused, naming `request_id`.
 */
export async function recordInput(store: EventStore, plantId: string, event: InputEvent, actor: string): Promise<{ idempotentReplay: boolean }> {
  try {
    const result = await store.appendToStream(inputsStreamId(plantId), [{ eventId: deterministicUuid(`${plantId}:${event.type}:${event.data.requestId}`), type: event.type, data: event.data, metadata: { actor } }], { expectedVersion: 'any' });
    return { idempotentReplay: result.idempotentReplay };
  } catch (error) {
    if ((error as { code?: unknown }).code !== EVENT_STORE_ERROR_CODES.EVENT_ID_CONFLICT) throw error;
    throw new SchedulingError(SchedulingErrorCode.requestIdReused, `request id "${event.data.requestId}" was used before with other content`, [{ field: 'request_id', description: 'already used for a different request' }]);
  }
}

/** Folds the plant's input stream: last demands, last state per unit (by the time it changed). */
export async function loadInputs(store: EventStore, plantId: string): Promise<PlantInputs> {
  let demands: readonly OpenDemand[] | undefined;
  let energyPrices: EnergyPrices | undefined;
  let siteTargets: SiteTargets | undefined;
  const reported = new Map<string, readonly AchievableTarget[]>();
  const states = new Map<string, ReportedUnitState>();
  for (const e of await store.readStream(inputsStreamId(plantId))) {
    const event = { type: e.type, data: e.data } as InputEvent;
    if (event.type === 'DemandsSet') demands = event.data.demands;
    else if (event.type === 'EnergyPricesSet') energyPrices = event.data.prices;
    else if (event.type === 'SiteTargetsReceived') {
      if (!siteTargets || Date.parse(siteTargets.publishedAt) <= Date.parse(event.data.targets.publishedAt)) siteTargets = event.data.targets;
    } else if (event.type === 'SiteCapacityReported') reported.set(event.data.allocationId, event.data.achievable);
    else if (event.type === 'UnitStateReported') {
      const d = event.data;
      const previous = states.get(d.unitId);
      // out-of-order reports: the later change wins, whatever the arrival order
      if (!previous || Date.parse(previous.at) <= Date.parse(d.at)) states.set(d.unitId, { id: d.unitId, state: d.state, at: d.at, ...(d.expectedReturnAt !== undefined && { expectedReturnAt: d.expectedReturnAt }) });
    }
  }
  const capacityReported = siteTargets && reported.get(siteTargets.allocationId);
  return { ...(demands && { demands }), unitStates: [...states.values()], ...(energyPrices && { energyPrices }), ...(siteTargets && { siteTargets }), ...(capacityReported && { capacityReported }) };
}
