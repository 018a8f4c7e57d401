import type { z } from 'zod';
import { type FieldViolation, MonitoringError, MonitoringErrorCode } from '../monitoring.error';
import { type MonitoringModel, monitoringModelSchema } from './monitoring-model.schema';

export function zodViolations(error: z.ZodError, prefix = ''): FieldViolation[] {
  return error.issues.map((issue) => ({
    field: prefix + issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 && !prefix ? '' : '.'}${String(p)}`)).join('') || prefix || '$',
    description: issue.message,
  }));
}

/** Shapes that zod cannot see: every array sized to the variables, lags and components. */
function consistencyViolations(m: MonitoringModel): FieldViolation[] {
  const v: FieldViolation[] = [];
  const features = m.variables.length * (m.lags + 1);
  const size = (field: string, actual: number, expected: number) => {
    if (actual !== expected) v.push({ field, description: `has ${actual} entries, expected ${expected}` });
  };
  if (new Set(m.variables).size !== m.variables.length) v.push({ field: 'variables', description: 'variable names must be unique' });
  size('features', m.features.length, features);
  size('scaling.mean', m.scaling.mean.length, features);
  size('scaling.scale', m.scaling.scale.length, features);
  size('eigenvalues', m.eigenvalues.length, features);
  size('loadings', m.loadings.length, m.components);
  m.loadings.forEach((row, k) => size(`loadings[${k}]`, row.length, features));
  if (m.components >= features) v.push({ field: 'components', description: `must be below the feature count ${features}, so a residual space remains` });
  for (let k = 0; k < Math.min(m.components, m.eigenvalues.length); k++) {
    if (!(m.eigenvalues[k]! > 0)) v.push({ field: `eigenvalues[${k}]`, description: 'a retained component needs a positive eigenvalue' });
  }
  if (m.trainingSamples <= m.components) v.push({ field: 'trainingSamples', description: 'must exceed the number of components' });
  return v;
}

/** Validates a model document (parsed JSON or JSON text); every problem is reported with its path. */
export function parseMonitoringModel(input: unknown): MonitoringModel {
  let raw = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (error) {
      throw new MonitoringError(MonitoringErrorCode.invalidModel, 'invalid monitoring model', [{ field: '$', description: `not valid JSON: ${(error as Error).message}` }]);
    }
  }
  const parsed = monitoringModelSchema.safeParse(raw);
  if (!parsed.success) throw new MonitoringError(MonitoringErrorCode.invalidModel, 'invalid monitoring model', zodViolations(parsed.error));
  const violations = consistencyViolations(parsed.data);
  if (violations.length > 0) throw new MonitoringError(MonitoringErrorCode.invalidModel, 'invalid monitoring model', violations);
  return parsed.data;
}
