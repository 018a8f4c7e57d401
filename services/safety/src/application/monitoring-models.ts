import { fitMonitoringModel, MonitoringError, parseMonitoringModel, type FitOptions, type MonitoringModel } from '@reflux/process-monitoring';
import type { FittedMonitoringModel } from '../domain/monitoring-model.decider';
import type { GridSettings, ModelOrigin } from '../domain/monitoring-model.events';
import { gridRows } from '../domain/sample-grid';
import { invalidRequest, SafetyErrorCode, type FieldViolation } from '../domain/safety.errors';
import type { PcaEarlyWarning } from './pca-early-warning.monitor';
import type { MonitoringModelStore } from './monitoring-model.store';
import type { PlantSafety } from './plant-safety';
import type { SampleHistory } from './sample-history.port';

/** Longest normal-operation period a model is fitted on in one request. */
export const MAX_TRAINING_MS = 14 * 86_400_000;
/** Most grid rows a fit reads (period × range). */
export const MAX_TRAINING_ROWS = 200_000;

export interface FitRequest {
  readonly unitId: string;
  readonly tagIds: readonly string[];
  readonly fromMs: number;
  readonly toMs: number;
  readonly grid: GridSettings;
  readonly options: FitOptions;
  readonly activate: boolean;
  readonly by: string;
}

export interface ModelVersionView {
  readonly fitted: FittedMonitoringModel;
  readonly active: boolean;
}

/** A monitoring-library refusal as a request refusal, its fields under `prefix`. */
function asInvalid(error: unknown, prefix: string): never {
  if (error instanceof MonitoringError) throw invalidRequest(error.violations.map((v) => ({ field: `${prefix}${v.field}`, description: v.description })), SafetyErrorCode.invalidMonitoringModel);
  throw error;
}

/**
 * Monitoring models of the plants: fitted on a normal-operation period read from ingestion's history
 * (through the same grid the live monitor uses), or imported from a `reflux safety pca-fit` file;
 * versioned as events and activated on the plant's queue, after which the live monitor re-reads them.
 */
export class MonitoringModels {
  constructor(
    private readonly deps: {
      readonly store: MonitoringModelStore;
      readonly history: SampleHistory;
      readonly pca: PcaEarlyWarning;
      readonly now?: () => Date;
    },
  ) {}

  async fit(plant: PlantSafety, r: FitRequest): Promise<FittedMonitoringModel> {
    const v: FieldViolation[] = [];
    if (r.tagIds.length < 2) v.push({ field: 'tag_ids', description: 'a multivariate model needs at least 2 tags' });
    if (new Set(r.tagIds).size !== r.tagIds.length) v.push({ field: 'tag_ids', description: 'tags must be unique' });
    const configured = new Set(plant.config.config.tags.map((t) => t.tagId));
    r.tagIds.forEach((tagId, i) => {
      if (!configured.has(tagId)) v.push({ field: `tag_ids[${i}]`, description: `tag "${tagId}" is not in the plant's alarm configuration, so the service never sees its samples` });
    });
    if (!(r.toMs > r.fromMs)) v.push({ field: 'training_range', description: 'end_time must be after start_time' });
    else if (r.toMs - r.fromMs > MAX_TRAINING_MS) v.push({ field: 'training_range', description: `at most ${MAX_TRAINING_MS / 86_400_000} days` });
    else if (r.grid.samplePeriodS > 0 && (r.toMs - r.fromMs) / (r.grid.samplePeriodS * 1000) > MAX_TRAINING_ROWS)
      v.push({ field: 'sample_period_s', description: `gives more than ${MAX_TRAINING_ROWS} rows over the range; use a longer period or a shorter range` });
    if (!(r.grid.samplePeriodS > 0)) v.push({ field: 'sample_period_s', description: 'must be > 0' });
    if (v.length > 0) throw invalidRequest(v, SafetyErrorCode.invalidMonitoringModel);
    const samples = await this.deps.history.readRaw(r.tagIds, r.fromMs, r.toMs);
    const rows = gridRows(r.tagIds, r.grid.samplePeriodS * 1000, r.grid.maxHoldS * 1000, samples, r.toMs);
    let model: MonitoringModel;
    try {
      model = fitMonitoringModel({ variables: r.tagIds, rows: rows.map((row) => row.values) }, r.options);
    } catch (error) {
      asInvalid(error, 'training.');
    }
    const origin: ModelOrigin = { kind: 'history', from: new Date(r.fromMs).toISOString(), to: new Date(r.toMs).toISOString(), rows: rows.length };
    return this.register(plant, r.unitId, model, r.grid, origin, r.activate, r.by);
  }

  /** Registers a model document (the JSON `reflux safety pca-fit` writes). */
  async import(plant: PlantSafety, unitId: string, documentJson: string, name: string, grid: GridSettings, activate: boolean, by: string): Promise<FittedMonitoringModel> {
    let document: unknown;
    try {
      document = JSON.parse(documentJson);
    } catch (error) {
      throw invalidRequest([{ field: 'model_json', description: `is not JSON: ${(error as Error).message}` }], SafetyErrorCode.invalidMonitoringModel);
    }
    let model: MonitoringModel;
    try {
      model = parseMonitoringModel(document);
    } catch (error) {
      asInvalid(error, 'model_json.');
    }
    return this.register(plant, unitId, model, grid, { kind: 'import', name: name || 'model.json' }, activate, by);
  }

  async activate(plant: PlantSafety, unitId: string, version: number, by: string): Promise<void> {
    await plant.queue.run(async () => {
      const at = this.now();
      const { events } = await this.deps.store.execute(plant.plantId, { type: 'ActivateModel', data: { unitId, version, at: at.toISOString(), by } });
      if (events.length > 0) await this.deps.pca.reload(plant.plantId, at.getTime());
    });
  }

  async list(plantId: string, unitId?: string): Promise<ModelVersionView[]> {
    const { state } = await this.deps.store.load(plantId);
    const out: ModelVersionView[] = [];
    for (const [id, unit] of state.units) {
      if (unitId && id !== unitId) continue;
      for (const fitted of unit.versions.values()) out.push({ fitted, active: unit.active === fitted.version });
    }
    return out.sort((a, b) => (a.fitted.unitId < b.fitted.unitId ? -1 : a.fitted.unitId > b.fitted.unitId ? 1 : a.fitted.version - b.fitted.version));
  }

  private register(plant: PlantSafety, unitId: string, model: MonitoringModel, grid: GridSettings, origin: ModelOrigin, activate: boolean, by: string): Promise<FittedMonitoringModel> {
    return plant.queue.run(async () => {
      const at = this.now();
      const config = plant.config.config;
      const { events } = await this.deps.store.execute(plant.plantId, {
        type: 'RegisterModel',
        data: { plantId: plant.plantId, unitId, model, grid, origin, activate, at: at.toISOString(), by, knownUnits: new Set(config.units.map((u) => u.unitId)), knownTags: new Set(config.tags.map((t) => t.tagId)) },
      });
      if (activate) await this.deps.pca.reload(plant.plantId, at.getTime());
      const fitted = events.find((e) => e.type === 'MonitoringModelFitted');
      return fitted!.data as FittedMonitoringModel;
    });
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }
}
