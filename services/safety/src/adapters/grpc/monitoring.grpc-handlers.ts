import { unary, type ServiceImplementation } from '@reflux/grpc';
import type { refluxSafetyV1 as v1 } from '@reflux/proto';
import type { FitOptions } from '@reflux/process-monitoring';
import type { MonitoringModels, ModelVersionView } from '../../application/monitoring-models';
import type { PlantSafety } from '../../application/plant-safety';
import type { GridSettings } from '../../domain/monitoring-model.events';
import { type FieldViolation } from '../../domain/safety.errors';
import { isoToTimestamp, timestampToDate } from './safety.grpc-mapper';

const OPERATORS = ['operator'] as const;
const READERS = ['viewer', 'operator', 'planner', 'integrator'] as const;

function gridOf(grid: v1.MonitoringGrid | null | undefined, violations: FieldViolation[]): GridSettings {
  const samplePeriodS = grid?.samplePeriodS ?? 0;
  if (!(samplePeriodS > 0)) violations.push({ field: 'grid.sample_period_s', description: 'is required (> 0 s)' });
  const maxHoldS = grid?.maxHoldS || 10 * samplePeriodS;
  if (maxHoldS < samplePeriodS) violations.push({ field: 'grid.max_hold_s', description: 'must be at least the sample period' });
  return { samplePeriodS, maxHoldS };
}

function versionOf(v: ModelVersionView, includeModel: boolean): v1.MonitoringModelVersion {
  const { fitted } = v;
  const m = fitted.model;
  const o = fitted.origin;
  return {
    unitId: fitted.unitId,
    version: fitted.version,
    active: v.active,
    tagIds: m.variables,
    lags: m.lags,
    components: m.components,
    confidence: m.confidence,
    t2Limit: m.limits.t2,
    speLimit: m.limits.spe,
    persistence: m.persistence.kind === 'consecutive' ? `${m.persistence.count} consecutive` : `${m.persistence.k} of ${m.persistence.n}`,
    grid: { samplePeriodS: fitted.grid.samplePeriodS, maxHoldS: fitted.grid.maxHoldS },
    origin: o.kind,
    trainingRange: o.kind === 'history' ? { startTime: isoToTimestamp(o.from), endTime: isoToTimestamp(o.to) } : null,
    trainingRows: o.kind === 'history' ? o.rows : 0,
    importName: o.kind === 'import' ? o.name : '',
    registeredTime: isoToTimestamp(fitted.at),
    registeredBy: fitted.by,
    modelJson: includeModel ? JSON.stringify(m) : '',
  };
}

/** FitMonitoringModel, ImportMonitoringModel, ActivateMonitoringModel, ListMonitoringModels. */
export function monitoringHandlers(models: MonitoringModels, plantOf: (plantId: string, violations?: FieldViolation[]) => PlantSafety): ServiceImplementation {
  const unitOf = (unitId: string, violations: FieldViolation[]) => {
    if (unitId === '') violations.push({ field: 'unit_id', description: 'is required' });
    return unitId;
  };
  return {
    FitMonitoringModel: unary<v1.FitMonitoringModelRequest, v1.FitMonitoringModelResponse>(OPERATORS, async (r, ctx) => {
      const v: FieldViolation[] = [];
      const unitId = unitOf(r.unitId, v);
      const grid = gridOf(r.grid, v);
      const from = r.trainingRange?.startTime ? timestampToDate(r.trainingRange.startTime) : undefined;
      const to = r.trainingRange?.endTime ? timestampToDate(r.trainingRange.endTime) : undefined;
      if (!from || !to) v.push({ field: 'training_range', description: 'start_time and end_time are required' });
      if (r.lags < 0) v.push({ field: 'lags', description: 'must not be negative' });
      if (r.consecutiveViolations < 0) v.push({ field: 'consecutive_violations', description: 'must not be negative' });
      if (r.components < 0) v.push({ field: 'components', description: 'must not be negative' });
      const plant = plantOf(r.plantId, v);
      const options: FitOptions = {
        lags: r.lags,
        ...(r.confidence !== 0 && { confidence: r.confidence }),
        ...(r.consecutiveViolations > 0 && { persistence: { kind: 'consecutive', count: r.consecutiveViolations } }),
        ...(r.components > 0 && { componentRule: { kind: 'fixed', components: r.components } }),
        ...(r.ewmaLambda !== 0 && { ewmaLambda: r.ewmaLambda }),
      };
      const fitted = await models.fit(plant, { unitId, tagIds: r.tagIds, fromMs: from!.getTime(), toMs: to!.getTime(), grid, options, activate: r.activate, by: ctx.principal.subject });
      return { model: versionOf({ fitted, active: r.activate }, false) };
    }),

    ImportMonitoringModel: unary<v1.ImportMonitoringModelRequest, v1.ImportMonitoringModelResponse>(OPERATORS, async (r, ctx) => {
      const v: FieldViolation[] = [];
      const unitId = unitOf(r.unitId, v);
      const grid = gridOf(r.grid, v);
      if (r.modelJson === '') v.push({ field: 'model_json', description: 'is required' });
      const plant = plantOf(r.plantId, v);
      const fitted = await models.import(plant, unitId, r.modelJson, r.name, grid, r.activate, ctx.principal.subject);
      return { model: versionOf({ fitted, active: r.activate }, false) };
    }),

    ActivateMonitoringModel: unary<v1.ActivateMonitoringModelRequest, v1.ActivateMonitoringModelResponse>(OPERATORS, async (r, ctx) => {
      const v: FieldViolation[] = [];
      const unitId = unitOf(r.unitId, v);
      if (r.version < 1) v.push({ field: 'version', description: 'must be ≥ 1' });
      const plant = plantOf(r.plantId, v);
      await models.activate(plant, unitId, r.version, ctx.principal.subject);
      return {};
    }),

    ListMonitoringModels: unary<v1.ListMonitoringModelsRequest, v1.ListMonitoringModelsResponse>(READERS, async (r) => {
      const plant = plantOf(r.plantId);
      return { models: (await models.list(plant.plantId, r.unitId || undefined)).map((m) => versionOf(m, r.includeModelJson)) };
    }),
  };
}

