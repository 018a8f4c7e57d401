import { randomUUID } from 'node:crypto';
import { serverStream, unary, type ServiceImplementation } from '@reflux/grpc';
import type { refluxSupplyChainV1 as v1 } from '@reflux/proto';
import { explainBinding, paretoFront } from '../../application/allocate';
import { causedBy, type OptimizeProgress, type SupplyCoordinator } from '../../application/supply-coordinator';
import { networkInForce } from '../../domain/coordination.decider';
import { SupplyChainError, SupplyChainErrorCode, type FieldViolation } from '../../domain/supply-chain.errors';
import type { SupplyReadModel } from '../postgres/supply-read-model.queries';
import { allocationOf, bindingOf, timestampOf, costsOf, orderFromProto, orderViewOf, promiseOf, protoViolations } from './supply-chain.grpc-mapper';

export const SUPPLY_CHAIN_PROTO = 'reflux/supply_chain/v1/supply_chain.proto';
export const SUPPLY_CHAIN_SERVICE = 'reflux.supply_chain.v1.SupplyChainService';

const READERS = ['viewer', 'operator', 'planner', 'integrator'] as const;
const INTEGRATORS = ['integrator'] as const;
const PLANNERS = ['planner'] as const;
const DISRUPTERS = ['operator', 'planner'] as const;
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

export interface SupplyChainGrpcDeps {
  readonly coordinator: SupplyCoordinator;
  readonly readModel: SupplyReadModel;
  /** Defaults of Optimize. */
  readonly timeLimitSeconds: number;
  readonly mipRelativeGap: number;
}

function invalidRequest(violations: readonly FieldViolation[]): SupplyChainError {
  return new SupplyChainError(SupplyChainErrorCode.invalidOrder, `invalid request: ${violations.map((v) => `${v.field}: ${v.description}`).join('; ')}`, violations);
}

/** Order errors name the request's proto fields. */
async function withProtoFields<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (error) {
    if (error instanceof SupplyChainError && error.violations.length > 0) throw new SupplyChainError(error.code as SupplyChainErrorCode, error.message, protoViolations(error.violations));
    throw error;
  }
}

/** The SupplyChainService RPCs (admins pass every role check). */
export function supplyChainServiceImplementation(deps: SupplyChainGrpcDeps): ServiceImplementation {
  const { coordinator, readModel } = deps;
  const network = coordinator.network;
  const orderOf = (o: v1.Order | null | undefined): v1.Order => {
    if (!o) throw invalidRequest([{ field: 'order', description: 'is required' }]);
    return o;
  };
  return {
    SubmitOrder: unary<v1.SubmitOrderRequest, v1.SubmitOrderResponse>(INTEGRATORS, async (r, ctx) => ({
      created: await withProtoFields(() => coordinator.orderCommand('SubmitOrder', orderFromProto(orderOf(r.order)), ctx.principal.subject)),
    })),
    ChangeOrder: unary<v1.ChangeOrderRequest, v1.ChangeOrderResponse>(INTEGRATORS, async (r, ctx) => ({
      changed: await withProtoFields(() => coordinator.orderCommand('ChangeOrder', orderFromProto(orderOf(r.order)), ctx.principal.subject)),
    })),
    CancelOrder: unary<v1.CancelOrderRequest, v1.CancelOrderResponse>(INTEGRATORS, async (r, ctx) => {
      if (r.orderId === '') throw invalidRequest([{ field: 'order_id', description: 'is required' }]);
      return { cancelled: await coordinator.orderCommand('CancelOrder', r.orderId, ctx.principal.subject, r.reason) };
    }),
    ListOrders: unary<v1.ListOrdersRequest, v1.ListOrdersResponse>(READERS, async (r) => {
      if (r.pageSize < 0) throw invalidRequest([{ field: 'page_size', description: 'must not be negative' }]);
      const size = r.pageSize === 0 ? DEFAULT_PAGE : Math.min(r.pageSize, MAX_PAGE);
      const after = r.pageToken === '' ? undefined : Buffer.from(r.pageToken, 'base64url').toString('utf8');
      const rows = await readModel.orders(size + 1, after, r.customerId || undefined);
      const page = rows.slice(0, size);
      return { orders: page.map(orderViewOf), nextPageToken: rows.length > size ? Buffer.from(page[page.length - 1].order_id, 'utf8').toString('base64url') : '' };
    }),
    GetAllocation: unary<v1.GetAllocationRequest, v1.GetAllocationResponse>(READERS, async (r) => {
      const row = await readModel.allocation(r.allocationId);
      if (!row) throw new SupplyChainError(SupplyChainErrorCode.noAllocation, r.allocationId ? `no allocation ${r.allocationId}` : 'no allocation yet: run Optimize');
      return { allocation: allocationOf(network, { allocationId: row.allocation_id, trigger: row.trigger, at: row.proposed_at, frozenPeriods: row.frozen_periods, published: row.published, allocation: row.document }) };
    }),
    Optimize: serverStream<v1.OptimizeRequest, v1.OptimizeResponse>(PLANNERS, async function* (r, ctx) {
      const violations: FieldViolation[] = [];
      if (r.timeLimitS < 0) violations.push({ field: 'time_limit_s', description: 'must not be negative' });
      if (r.mipGapPercent < 0 || r.mipGapPercent >= 100) violations.push({ field: 'mip_gap_percent', description: 'must be in [0, 100)' });
      if (violations.length > 0) throw invalidRequest(violations);
      const t0 = Date.now();
      const updates: v1.OptimizeResponse[] = [];
      let wake: (() => void) | undefined;
      const phase = { queued: 'OPTIMIZE_PHASE_QUEUED', formulating: 'OPTIMIZE_PHASE_FORMULATING', solving: 'OPTIMIZE_PHASE_SOLVING', done: 'OPTIMIZE_PHASE_DONE' } as const;
      const onProgress = (p: OptimizeProgress): void => {
        if (p.phase === 'done') return; // the final message carries the result
        updates.push({ phase: phase[p.phase] as v1.OptimizePhase, message: p.message, elapsedMs: String(Date.now() - t0), allocationId: '', objective: 0, gapPercent: 0, rows: 0, columns: 0 });
        wake?.();
      };
      let finished = false;
      const job = coordinator
        .optimize('optimize', { timeLimitSeconds: r.timeLimitS || deps.timeLimitSeconds, mipRelativeGap: r.mipGapPercent ? r.mipGapPercent / 100 : deps.mipRelativeGap, relax: r.relax, signal: ctx.signal }, onProgress, { actor: ctx.principal.subject })
        .finally(() => {
          finished = true;
          wake?.();
        });
      job.catch(() => undefined);
      while (!finished || updates.length > 0) {
        if (updates.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        yield* updates.splice(0);
      }
      const proposal = await job;
      const outcome = coordinator.outcomeOf(proposal.allocationId);
      yield { phase: 'OPTIMIZE_PHASE_DONE' as v1.OptimizePhase, message: `${proposal.allocation.status}`, elapsedMs: String(Date.now() - t0), allocationId: proposal.allocationId, objective: proposal.allocation.objective, gapPercent: proposal.allocation.gapPercent, rows: outcome?.formulation.model.rows.names.length ?? 0, columns: outcome?.formulation.model.columns.names.length ?? 0 };
    }),
    PublishAllocation: unary<v1.PublishAllocationRequest, v1.PublishAllocationResponse>(PLANNERS, async (r, ctx) => {
      if (r.allocationId === '') throw invalidRequest([{ field: 'allocation_id', description: 'is required' }]);
      const out = await coordinator.publish(r.allocationId, ctx.principal.subject);
      return { publishedAt: timestampOf(out.publishedAt), siteIds: out.sites };
    }),
    ReportDisruption: unary<v1.ReportDisruptionRequest, v1.ReportDisruptionResponse>(DISRUPTERS, async (r, ctx) => {
      const T = network.horizon.periods;
      const violations: FieldViolation[] = [];
      const window = (from: number, to: number, field: string): void => {
        if (to <= from) violations.push({ field: `${field}.to_period`, description: 'must exceed from_period' });
        if (from >= T) violations.push({ field: `${field}.from_period`, description: `lies beyond the horizon of ${T} periods` });
      };
      if (r.site) {
        const site = network.sites.find((s) => s.id === r.site!.siteId);
        if (!site) violations.push({ field: 'site.site_id', description: `unknown site; known: ${network.sites.map((s) => s.id).join(', ')}` });
        else if (r.site.processId && !site.processes.some((p) => p.id === r.site!.processId)) violations.push({ field: 'site.process_id', description: `site ${site.id} has no such process` });
        window(r.site.fromPeriod, r.site.toPeriod, 'site');
      } else if (r.lane) {
        if (!network.lanes.some((l) => l.id === r.lane!.laneId)) violations.push({ field: 'lane.lane_id', description: 'unknown lane' });
        window(r.lane.fromPeriod, r.lane.toPeriod, 'lane');
      } else violations.push({ field: 'disruption', description: 'a site or a lane is required' });
      if (violations.length > 0) throw new SupplyChainError(SupplyChainErrorCode.invalidDisruption, `invalid disruption: ${violations.map((v) => `${v.field}: ${v.description}`).join('; ')}`, violations);
      // the command's request id is the disruption's source and the causation of what follows
      const requestId = `request:${randomUUID()}`;
      const proposal = await coordinator.disrupt(
        {
          ...(r.site && { site: { site: r.site.siteId, ...(r.site.processId && { process: r.site.processId }), fromPeriod: r.site.fromPeriod, toPeriod: Math.min(T, r.site.toPeriod), availableModules: r.site.availableModules } }),
          ...(r.lane && { lane: { lane: r.lane.laneId, fromPeriod: r.lane.fromPeriod, toPeriod: Math.min(T, r.lane.toPeriod) } }),
          reason: r.reason || 'reported',
          source: requestId,
        },
        causedBy(requestId, ctx.traceId, ctx.principal.subject),
      );
      const a = proposal!;
      return { allocation: allocationOf(network, { ...a, published: false }), lateOrders: a.allocation.orders.filter((o) => o.latePeriods > 0 || o.shortfallT > 0).map(promiseOf) };
    }),
    ExplainAllocation: unary<v1.ExplainAllocationRequest, v1.ExplainAllocationResponse>(READERS, async (r) => {
      const row = await readModel.allocation(r.allocationId);
      if (!row) throw new SupplyChainError(SupplyChainErrorCode.noAllocation, r.allocationId ? `no allocation ${r.allocationId}` : 'no allocation yet: run Optimize');
      if (r.paretoCo2Weights.some((w) => !(w >= 0))) throw invalidRequest([{ field: 'pareto_co2_weights', description: 'weights must be ≥ 0' }]);
      const outcome = coordinator.outcomeOf(row.allocation_id);
      const binding = outcome ? await explainBinding(coordinator.deps.solver, outcome) : [];
      const inForce = networkInForce(network, coordinator.coordination(), coordinator.openOrders());
      const pareto = r.paretoCo2Weights.length > 0 ? await paretoFront(coordinator.deps.solver, inForce, r.paretoCo2Weights.slice(0, 10), { timeLimitSeconds: deps.timeLimitSeconds, mipRelativeGap: deps.mipRelativeGap }) : [];
      return {
        allocationId: row.allocation_id,
        costs: costsOf(row.document.costs),
        co2T: row.document.co2T,
        binding: binding.map(bindingOf),
        pareto: pareto.map((p) => ({ co2Weight: p.co2Weight, cost: p.costMoney, co2T: p.co2T, riskCost: p.riskMoney })),
        forbidden: outcome?.formulation.transport.forbidden.map((f) => f.reason) ?? [],
      };
    }),
  };
}
