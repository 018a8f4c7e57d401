import { DeciderSpecification, foldEvents } from '@reflux/decider';
import { fitMonitoringModel } from '@reflux/process-monitoring';
import { activeModels, monitoringModelDecider } from './monitoring-model.decider';
import type { MonitoringModelCommand, MonitoringModelEvent } from './monitoring-model.events';
import { SafetyError } from './safety.errors';

const spec = DeciderSpecification.for(monitoringModelDecider);
const model = fitMonitoringModel({ variables: ['TI-1', 'FI-1'], rows: Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(i * 1.3) + 0.1 * i]) }, { componentRule: { kind: 'fixed', components: 1 } });
const at = '2026-12-05T10:00:00.000Z';
const grid = { samplePeriodS: 1, maxHoldS: 10 };
const origin = { kind: 'import' as const, name: 'model.json' };
const register = (activate: boolean, over: Partial<Extract<MonitoringModelCommand, { type: 'RegisterModel' }>['data']> = {}): MonitoringModelCommand => ({
  type: 'RegisterModel',
  data: { plantId: 'p', unitId: 'K-1', model, grid, origin, activate, at, by: 'op-1', knownUnits: new Set(['K-1']), knownTags: new Set(['TI-1', 'FI-1']), ...over },
});
const fitted = (version: number): MonitoringModelEvent => ({ type: 'MonitoringModelFitted', data: { plantId: 'p', unitId: 'K-1', version, model, grid, origin, at, by: 'op-1' } });
const activated = (version: number): MonitoringModelEvent => ({ type: 'MonitoringModelActivated', data: { plantId: 'p', unitId: 'K-1', version, at, by: 'op-1' } });

describe('monitoring model versions', () => {
  it('gives a registered model the unit’s next version and activates it when asked', () => {
    spec.given([]).when(register(false)).then([fitted(1)]);
    spec.given([fitted(1), activated(1)]).when(register(true)).then([fitted(2), activated(2)]);
    expect(activeModels(foldEvents(monitoringModelDecider, [fitted(1), activated(1), fitted(2)])).map((m) => m.version)).toEqual([1]);
  });

  it('activates an older version, and decides nothing for the version already in force', () => {
    spec.given([fitted(1), fitted(2), activated(2)]).when({ type: 'ActivateModel', data: { unitId: 'K-1', version: 1, at, by: 'op-1' } }).then([activated(1)]);
    spec.given([fitted(1), activated(1)]).when({ type: 'ActivateModel', data: { unitId: 'K-1', version: 1, at, by: 'op-1' } }).then([]);
  });

  it('refuses an unknown version with MONITORING.MODEL_NOT_FOUND', () => {
    spec.given([fitted(1)]).when({ type: 'ActivateModel', data: { unitId: 'K-1', version: 3, at, by: 'op-1' } }).thenThrows((e) => e instanceof SafetyError && e.code === 'MONITORING.MODEL_NOT_FOUND');
  });

  it('refuses a model on an unknown unit, on tags the plant does not configure and with a bad grid, field by field', () => {
    let error: SafetyError | undefined;
    try {
      monitoringModelDecider.decide(register(true, { unitId: 'K-9', knownTags: new Set(['TI-1']), grid: { samplePeriodS: 0, maxHoldS: -1 } }), monitoringModelDecider.initialState());
    } catch (e) {
      error = e as SafetyError;
    }
    expect(error?.code).toBe('MONITORING.INVALID_MODEL');
    expect(error?.fieldViolations.map((v) => v.field)).toEqual(['unit_id', 'model.variables[1]', 'sample_period_s', 'max_hold_s']);
  });
});
