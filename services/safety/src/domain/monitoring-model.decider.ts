import type { Decider } from '@reflux/decider';
import type { MonitoringModelCommand, MonitoringModelEvent } from './monitoring-model.events';
import { invalidRequest, SafetyError, SafetyErrorCode, type FieldViolation } from './safety.errors';

type Fitted = Extract<MonitoringModelEvent, { type: 'MonitoringModelFitted' }>['data'];

/** A plant's monitoring models: every version of each unit's model and the one in force. */
export interface MonitoringModelsState {
  readonly units: ReadonlyMap<string, { readonly versions: ReadonlyMap<number, Fitted>; readonly active?: number }>;
}

function gridViolations(d: Extract<MonitoringModelCommand, { type: 'RegisterModel' }>['data']): FieldViolation[] {
  const v: FieldViolation[] = [];
  if (!d.knownUnits.has(d.unitId)) v.push({ field: 'unit_id', description: `unit "${d.unitId}" is not in the plant's alarm configuration` });
  d.model.variables.forEach((tag, j) => {
    if (!d.knownTags.has(tag)) v.push({ field: `model.variables[${j}]`, description: `tag "${tag}" is not in the plant's alarm configuration, so the service never sees its samples` });
  });
  if (!(d.grid.samplePeriodS > 0) || d.grid.samplePeriodS > 3600) v.push({ field: 'sample_period_s', description: 'must lie in (0, 3600]' });
  if (!(d.grid.maxHoldS >= d.grid.samplePeriodS)) v.push({ field: 'max_hold_s', description: `must be at least the sample period (${d.grid.samplePeriodS} s)` });
  return v;
}

/**
 * Versions of a plant's monitoring models (stream `safety-monitoring-<plant>`): a registered model
 * gets the unit's next version and may be activated at once; activating a version makes it the one
 * the live monitor scores with. Activating the version already in force decides nothing.
 */
export const monitoringModelDecider: Decider<MonitoringModelCommand, MonitoringModelEvent, MonitoringModelsState> = {
  initialState: () => ({ units: new Map() }),

  decide(command, state) {
    switch (command.type) {
      case 'RegisterModel': {
        const d = command.data;
        const violations = gridViolations(d);
        if (violations.length > 0) throw invalidRequest(violations, SafetyErrorCode.invalidMonitoringModel);
        const version = (state.units.get(d.unitId)?.versions.size ?? 0) + 1;
        const fitted: MonitoringModelEvent = { type: 'MonitoringModelFitted', data: { plantId: d.plantId, unitId: d.unitId, version, model: d.model, grid: d.grid, origin: d.origin, at: d.at, by: d.by } };
        return d.activate ? [fitted, { type: 'MonitoringModelActivated', data: { plantId: d.plantId, unitId: d.unitId, version, at: d.at, by: d.by } }] : [fitted];
      }
      case 'ActivateModel': {
        const d = command.data;
        const unit = state.units.get(d.unitId);
        const fitted = unit?.versions.get(d.version);
        if (!unit || !fitted)
          throw new SafetyError(SafetyErrorCode.monitoringModelNotFound, `unit "${d.unitId}" has no monitoring model version ${d.version}`, {
            violations: [{ field: 'version', description: `known versions: ${[...(unit?.versions.keys() ?? [])].join(', ') || 'none'}` }],
          });
        if (unit.active === d.version) return [];
        return [{ type: 'MonitoringModelActivated', data: { plantId: fitted.plantId, unitId: d.unitId, version: d.version, at: d.at, by: d.by } }];
      }
      default: {
        const never: never = command;
        return never;
      }
    }
  },

  evolve(state, event) {
    const units = new Map(state.units);
    const unit = units.get(event.data.unitId) ?? { versions: new Map<number, Fitted>() };
    switch (event.type) {
      case 'MonitoringModelFitted':
        units.set(event.data.unitId, { ...unit, versions: new Map(unit.versions).set(event.data.version, event.data) });
        return { units };
      case 'MonitoringModelActivated':
        units.set(event.data.unitId, { ...unit, active: event.data.version });
        return { units };
      default: {
        const never: never = event;
        return never;
      }
    }
  },
};

/** The model in force for each unit that has one. */
export function activeModels(state: MonitoringModelsState): Fitted[] {
  const out: Fitted[] = [];
  for (const unit of state.units.values()) {
    const fitted = unit.active === undefined ? undefined : unit.versions.get(unit.active);
    if (fitted) out.push(fitted);
  }
  return out;
}

export type { Fitted as FittedMonitoringModel };
