import { unary, type ServiceImplementation } from '@reflux/grpc';
import type { refluxBalancingV1 as v1 } from '@reflux/proto';
import type { BalanceReconciler } from '../../application/balance-reconciler';
import type { ClassificationQuery } from '../../application/classification.query';
import type { PlantModelRegistry } from '../../application/plant-model.registry';
import { recordOfUnit } from '../../domain/balance-record.filter';
import { BalancingError, BalancingErrorCode, invalidRequest } from '../../domain/balancing.errors';
import type { BalanceReadModel } from '../postgres/balance-read-model.queries';
import { balanceResultOf, classificationOf, suspectOf, yieldOf } from './balancing.grpc-mapper';
import { dateToTimestamp, parseGetBalanceRequest, parseListSuspectsRequest, parseReconcileRequest, plantIdViolations, timestampToDate } from './balancing.grpc-requests';

export const BALANCING_PROTO = 'reflux/balancing/v1/balancing.proto';
export const BALANCING_SERVICE = 'reflux.balancing.v1.BalancingService';

const WRITERS = ['operator', 'planner'] as const;
const READERS = ['viewer', 'operator', 'planner', 'integrator'] as const;

export interface BalancingGrpcDeps {
  readonly reconciler: BalanceReconciler;
  readonly readModel: BalanceReadModel;
  readonly classification: ClassificationQuery;
  readonly models: PlantModelRegistry;
}

/** The BalancingService RPCs (admins pass every role check). */
export function balancingServiceImplementation(deps: BalancingGrpcDeps): ServiceImplementation {
  const graphOf = (plantId: string) => (deps.models.has(plantId) ? deps.models.current(plantId).graph : undefined);
  return {
    Reconcile: unary<v1.ReconcileRequest, v1.ReconcileResponse>(WRITERS, async (request, ctx) => {
      const input = parseReconcileRequest(request, graphOf);
      const result = await deps.reconciler.reconcileWindow({
        plantId: input.plantId,
        window: input.window,
        measurements: input.measurements,
        alpha: input.alpha,
        dryRun: input.dryRun,
        trigger: 'grpc',
        actor: ctx.principal.subject,
        correlationId: ctx.traceId,
        signal: ctx.signal,
      });
      return { result: balanceResultOf(result.record, result.reconciledAt), replayed: result.replayed };
    }),

    GetBalance: unary<v1.GetBalanceRequest, v1.GetBalanceResponse>(READERS, async (request) => {
      const query = parseGetBalanceRequest(request);
      if (query.unitId !== undefined && deps.models.has(query.plantId) && !deps.models.current(query.plantId).graph.hasUnit(query.unitId))
        throw new BalancingError(BalancingErrorCode.unknownUnit, `plant "${query.plantId}" has no unit "${query.unitId}"`, {
          violations: [{ field: 'unit_id', description: `unknown unit "${query.unitId}"` }],
        });
      // The read model, or — when its projection has not caught up yet — the window's event stream.
      const fromEvents = async () => {
        if (!query.start || !query.end) return undefined;
        const latest = await deps.reconciler.latestStoredResult(query.plantId, { start: query.start, end: query.end });
        return latest && { ...latest, record: query.unitId ? recordOfUnit(latest.record, query.unitId) : latest.record };
      };
      const stored = (await deps.readModel.getBalance(query.plantId, query.start, query.end, query.unitId)) ?? (await fromEvents());
      if (!stored)
        throw new BalancingError(
          BalancingErrorCode.balanceNotFound,
          query.start
            ? `no reconciled balance of plant "${query.plantId}" for the window starting ${query.start.toISOString()}${query.end ? ` and ending ${query.end.toISOString()}` : ''}`
            : `no reconciled window of plant "${query.plantId}" yet`,
        );
      return { result: balanceResultOf(stored.record, stored.reconciledAt) };
    }),

    ListSuspects: unary<v1.ListSuspectsRequest, v1.ListSuspectsResponse>(READERS, async (request) => {
      const query = parseListSuspectsRequest(request);
      const page = await deps.readModel.listSuspects(query.plantId, query.from, query.to, query.kind, query.pageSize, query.pageToken);
      return { suspects: page.suspects.map(suspectOf), nextPageToken: page.nextPageToken };
    }),

    GetClassification: unary<v1.GetClassificationRequest, v1.GetClassificationResponse>(READERS, async (request) => {
      const violations = plantIdViolations(request.plantId);
      if (violations.length > 0) throw invalidRequest(violations);
      return classificationOf(await deps.classification.classify(request.plantId));
    }),

    GetYields: unary<v1.GetYieldsRequest, v1.GetYieldsResponse>(READERS, async (request) => {
      const violations = plantIdViolations(request.plantId);
      const start = request.windowStartTime ? timestampToDate(request.windowStartTime) : null;
      if (request.windowStartTime && !start) violations.push({ field: 'window_start_time', description: 'is not a valid instant' });
      if (violations.length > 0) throw invalidRequest(violations);
      const found = await deps.readModel.getYields(request.plantId, start, request.unitId === '' ? undefined : request.unitId);
      if (!found)
        throw new BalancingError(BalancingErrorCode.balanceNotFound, `no reconciled window of plant "${request.plantId}"${start ? ` starting ${start.toISOString()}` : ''}`);
      return {
        window: { startTime: dateToTimestamp(found.window.start), endTime: dateToTimestamp(found.window.end) },
        plantModelVersion: found.plantModelVersion,
        yields: found.yields.map(yieldOf),
      };
    }),
  };
}
