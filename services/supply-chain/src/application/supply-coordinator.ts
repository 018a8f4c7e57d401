import { randomUUID } from 'node:crypto';
import { integrationEvents, type IntegrationEvent } from '@reflux/contracts';
import { deterministicUuid, foldEvents } from '@reflux/decider';
import { handleCommand, type EventMetadata, type EventStore } from '@reflux/event-store';
import type { LinearSolver } from '@reflux/optimization';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { toCurrentPlan } from '../domain/allocation';
import { allocationInForce, COORDINATION_STREAM, coordinationDecider, networkInForce, type CoordinationCommand, type CoordinationEvent, type CoordinationState, type LaneClosure, type ProposedAllocation, type SiteDisruption } from '../domain/coordination.decider';
import { periodAt, type Network, type Order } from '../domain/network.schema';
import { ORDER_EVENT_TYPES, ORDER_STREAM_CATEGORY, orderDecider, orderStreamId, type OrderCommand, type OrderEvent, type OrderState } from '../domain/order.decider';
import { capacityLossOf, type SuspectedLoss } from '../domain/loss-capacity';
import { parseOrder } from '../domain/parse-network';
import { allocate, type AllocateOptions, type AllocationOutcome, type AllocationStageMs } from './allocate';
import type { Outbox } from './outbox.port';
import { SerialQueue } from './serial-queue';

export interface CoordinatorDeps {
  readonly store: EventStore;
  readonly pool: Pool;
  readonly outbox: Outbox;
  readonly solver: LinearSolver;
  readonly network: Network;
  readonly logger: Logger;
  readonly source: string;
  /** Periods after the current one whose production and departures a re-allocation keeps. */
  readonly frozenPeriods: number;
  readonly deviationPenaltyPerT: number;
  readonly reallocationTimeLimitSeconds: number;
  readonly mipRelativeGap: number;
  readonly now: () => Date;
}

export interface OptimizeProgress {
  readonly phase: 'queued' | 'formulating' | 'solving' | 'done';
  readonly message: string;
}

/**
 * The single writer of the coordination stream in this process (one replica): orders are folded
 * from their streams, the coordination state from its stream; allocations, publication and
 * disruptions are appended in order (SerialQueue) with the folded version as expected version.
 */
export class SupplyCoordinator {
  readonly queue = new SerialQueue();
  private state: CoordinationState = coordinationDecider.initialState();
  private version = -1;
  private readonly orders = new Map<string, OrderState>();
  /** The last solve, kept for explanations (formulation and solution of `allocationId`). */
  private lastOutcome?: { allocationId: string; outcome: AllocationOutcome; appendMs: number };

  constructor(readonly deps: CoordinatorDeps) {}

  async load(): Promise<void> {
    const events: CoordinationEvent[] = [];
    for (let from = 0; ; ) {
      const page = await this.deps.store.readStream(COORDINATION_STREAM, { fromVersion: from, maxCount: 1000 });
      for (const e of page) events.push({ type: e.type, data: e.data } as CoordinationEvent);
      if (page.length > 0) this.version = page[page.length - 1].streamVersion;
      if (page.length < 1000) break;
      from = this.version + 1;
    }
    this.state = foldEvents(coordinationDecider, events);
    const byStream = new Map<string, OrderEvent[]>();
    for (let after = 0; ; ) {
      const page = await this.deps.store.readAll({ after, category: ORDER_STREAM_CATEGORY, eventTypes: ORDER_EVENT_TYPES, maxCount: 10_000 });
      for (const e of page) (byStream.get(e.streamId) ?? byStream.set(e.streamId, []).get(e.streamId)!).push({ type: e.type, data: e.data } as OrderEvent);
      if (page.length < 10_000) break;
      after = page[page.length - 1].globalPosition;
    }
    for (const [streamId, list] of byStream) this.orders.set(streamId.slice(ORDER_STREAM_CATEGORY.length), foldEvents(orderDecider, list));
  }

  get network(): Network {
    return this.deps.network;
  }

  coordination(): CoordinationState {
    return this.state;
  }

  openOrders(): Order[] {
    return [...this.orders.values()].filter((o) => o.order && !o.cancelled).map((o) => o.order!);
  }

  /** Submit, change or cancel an ERP order; returns whether anything changed. */
  async orderCommand(kind: 'SubmitOrder' | 'ChangeOrder' | 'CancelOrder', input: unknown, actor: string, reason = ''): Promise<boolean> {
    const at = this.deps.now().toISOString();
    let command: OrderCommand;
    let orderId: string;
    if (kind === 'CancelOrder') {
      orderId = String(input);
      command = { type: 'CancelOrder', data: { orderId, reason, at } };
    } else {
      const order = parseOrder(input, this.deps.network);
      orderId = order.id;
      command = { type: kind, data: { order, at } };
    }
    const result = await handleCommand(this.deps.store, orderDecider, orderStreamId(orderId), command, { metadata: { actor } });
    this.orders.set(orderId, result.newState);
    return result.newEvents.length > 0;
  }

  /** Solves the network in force with the open orders and appends the proposal. */
  async optimize(trigger: string, options: AllocateOptions & { withPlan?: boolean }, progress: (p: OptimizeProgress) => void = () => undefined, metadata: EventMetadata = {}): Promise<ProposedAllocation> {
    progress({ phase: 'queued', message: 'waiting for the coordination queue' });
    return this.queue.run(async () => {
      const network = networkInForce(this.deps.network, this.state, this.openOrders());
      const current = options.withPlan ? allocationInForce(this.state) : undefined;
      const frozenPeriods = current ? Math.min(network.horizon.periods, periodAt(network, this.deps.now()) + this.deps.frozenPeriods) : 0;
      progress({ phase: 'formulating', message: `${network.sites.length} sites, ${network.lanes.length} lanes, ${network.orders.length} open orders, ${network.horizon.periods} periods` });
      progress({ phase: 'solving', message: current ? `re-allocating against ${current.allocationId}, ${frozenPeriods} frozen periods` : 'allocating' });
      const outcome = await allocate(this.deps.solver, network, {
        ...options,
        ...(current && { plan: toCurrentPlan(current.allocation, frozenPeriods, this.deps.deviationPenaltyPerT) }),
      });
      const proposal: ProposedAllocation = { allocationId: randomUUID(), trigger, at: this.deps.now().toISOString(), frozenPeriods, allocation: outcome.allocation };
      const ta = performance.now();
      await this.append({ type: 'ProposeAllocation', data: proposal }, metadata);
      this.lastOutcome = { allocationId: proposal.allocationId, outcome, appendMs: performance.now() - ta };
      progress({ phase: 'done', message: `${outcome.allocation.status}, objective ${outcome.allocation.objective}, gap ${outcome.allocation.gapPercent.toFixed(3)} %` });
      return proposal;
    });
  }

  /** The solve behind an allocation, if it is the last one solved in this process. */
  outcomeOf(allocationId: string): AllocationOutcome | undefined {
    return this.lastOutcome?.allocationId === allocationId ? this.lastOutcome.outcome : undefined;
  }

  /** Wall-clock ms of each stage behind an allocation (formulation, solves, reading, appending the proposal), if it is the last one solved in this process. */
  stageMsOf(allocationId: string): (AllocationStageMs & { appendMs: number }) | undefined {
    const last = this.lastOutcome;
    return last?.allocationId === allocationId ? { ...last.outcome.stageMs, appendMs: last.appendMs } : undefined;
  }

  async publish(allocationId: string, by: string): Promise<{ publishedAt: string; sites: string[] }> {
    return this.queue.run(async () => {
      const at = this.deps.now().toISOString();
      const events = await this.append({ type: 'PublishAllocation', data: { allocationId, at, by } }, { actor: by });
      return { publishedAt: at, sites: events.filter((e) => e.type === 'SiteTargetsPublished').map((e) => (e.data as { site: string }).site) };
    });
  }

  /**
   * Records a disruption (idempotent by `source`: an integration event id or a request id) and
   * re-allocates against the plan in force. Returns undefined when the source was recorded before.
   */
  async disrupt(d: { site?: SiteDisruption; lane?: LaneClosure; reason: string; source: string }, metadata: EventMetadata = {}): Promise<ProposedAllocation | undefined> {
    const recorded = await this.queue.run(() => this.append({ type: 'RecordDisruption', data: { ...d, at: this.deps.now().toISOString() } }, metadata));
    if (recorded.length === 0) return undefined;
    return this.optimize(`disruption:${d.source}`, { withPlan: true, timeLimitSeconds: this.deps.reallocationTimeLimitSeconds, mipRelativeGap: this.deps.mipRelativeGap }, undefined, metadata);
  }

  /** A unit of a site's plant tripped (or went down): the whole site stops from the current period for `outagePeriods`. */
  async onUnitDown(eventId: string, plantId: string, unitId: string, at: Date, outagePeriods: number, correlationId?: string): Promise<ProposedAllocation | undefined> {
    const site = this.deps.network.sites.find((s) => s.plantId === plantId && (s.units.length === 0 || s.units.includes(unitId)));
    if (!site) return undefined;
    const from = periodAt(this.deps.network, at);
    const to = Math.min(this.deps.network.horizon.periods, from + outagePeriods);
    return this.disrupt({ site: { site: site.id, fromPeriod: from, toPeriod: to, availableModules: 0 }, reason: `unit ${unitId} of plant ${plantId} down at ${at.toISOString()}`, source: eventId }, causedBy(eventId, correlationId, this.deps.source));
  }

  /** Balancing suspects a loss at a unit of a site's plant: the site makes the lost mass rate less for `periods` periods (see `capacityLossOf`). */
  async onLossSuspected(eventId: string, loss: SuspectedLoss, periods: number, correlationId?: string): Promise<ProposedAllocation | undefined> {
    const site = capacityLossOf(this.deps.network, loss, periods);
    if (!site) return undefined;
    const reason = `loss of ${loss.estimatedLossKgPerS} kg/s suspected at unit ${loss.unitId} of plant ${loss.plantId} (${site.lostTPerPeriod} t per period)`;
    return this.disrupt({ site, reason, source: eventId }, causedBy(eventId, correlationId, 'balancing'));
  }

  /** Decides against the folded state and appends (with the integration events, one transaction); call inside the queue. */
  private async append(command: CoordinationCommand, metadata: EventMetadata): Promise<CoordinationEvent[]> {
    const events = [...coordinationDecider.decide(command, this.state)];
    if (events.length === 0) return [];
    const ids = events.map(() => randomUUID());
    const client = await this.deps.pool.connect();
    try {
      await client.query('BEGIN');
      await this.deps.store.appendToStream(COORDINATION_STREAM, events.map((e, i) => ({ eventId: ids[i], type: e.type, data: e.data, metadata })), { expectedVersion: this.version, transaction: client });
      const integration = this.integrationEvents(events, ids, metadata);
      if (integration.length > 0) await this.deps.outbox.enqueue(integration, client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    this.version += events.length;
    this.state = events.reduce((s, e) => coordinationDecider.evolve(s, e), this.state);
    return events;
  }

  private integrationEvents(events: readonly CoordinationEvent[], ids: readonly string[], { correlationId, causationId }: EventMetadata): IntegrationEvent[] {
    const out: IntegrationEvent[] = [];
    const n = this.deps.network;
    events.forEach((e, i) => {
      const meta = { source: this.deps.source, subject: COORDINATION_STREAM, eventId: deterministicUuid(`integration:${ids[i]}`), occurredAt: this.deps.now(), ...(correlationId !== undefined && { correlationId }), ...(causationId !== undefined && { causationId }) };
      if (e.type === 'AllocationProposed') {
        const { allocation: a, allocationId, at, trigger, frozenPeriods } = e.data;
        const atRisk = a.orders.filter((o) => o.latePeriods > 0 || o.shortfallT > 0);
        out.push(
          integrationEvents.envelope(
            'AllocationProposed',
            {
              allocationId,
              proposedAt: at,
              trigger: trigger.slice(0, 1000),
              frozenPeriods,
              objective: a.objective,
              currency: n.currency,
              co2T: a.co2T,
              lateOrders: a.orders.filter((o) => o.latePeriods > 0).length,
              shortOrders: a.orders.filter((o) => o.shortfallT > 0).length,
              ordersAtRisk: atRisk.slice(0, 100).map((o) => ({ orderId: o.orderId, latePeriods: o.latePeriods, shortfallT: o.shortfallT })),
            },
            meta,
          ),
        );
      } else if (e.type === 'AllocationPublished') {
        const a = this.state.allocations.get(e.data.allocationId)!.allocation;
        out.push(integrationEvents.envelope('AllocationPublished', { allocationId: e.data.allocationId, publishedAt: e.data.at, publishedBy: e.data.by, objective: a.objective, currency: n.currency, co2T: a.co2T, lateOrders: a.orders.filter((o) => o.latePeriods > 0).length, shortOrders: a.orders.filter((o) => o.shortfallT > 0).length }, meta));
      } else if (e.type === 'SiteTargetsPublished') {
        const site = n.sites.find((s) => s.id === e.data.site);
        out.push(
          integrationEvents.envelope(
            'SiteTargetsPublished',
            {
              siteId: e.data.site,
              ...(site?.plantId && { plantId: site.plantId }),
              allocationId: e.data.allocationId,
              horizonStart: n.horizon.start ?? e.data.at,
              periodHours: n.horizon.periodHours,
              targets: e.data.targets.map((t) => ({ processId: t.process, materialId: t.material, period: t.period, quantityT: t.quantityT, modulesOn: Math.round(t.modulesOn) })),
              publishedAt: e.data.at,
            },
            meta,
          ),
        );
      }
    });
    return out;
  }
}

/**
 * Metadata of what a reaction appends (the causation contract): the causing event's id (or the
 * command's request id) as causationId, and its correlationId, carried on SiteDisrupted, the
 * AllocationProposed that follows and any integration event of the same append.
 */
export function causedBy(causationId: string, correlationId: string | undefined, actor: string): EventMetadata {
  return { causationId, ...(correlationId && { correlationId }), actor };
}
