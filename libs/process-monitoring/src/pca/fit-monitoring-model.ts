import { z } from 'zod';
import { type FieldViolation, MonitoringError, MonitoringErrorCode } from '../monitoring.error';
import { componentRuleSchema, limitMethodSchema, type MonitoringModel, persistenceRuleSchema, speMethodSchema } from '../model/monitoring-model.schema';
import { zodViolations } from '../model/parse-model';
import { chooseComponents, DEFAULT_COMPONENT_RULE } from './component-rule';
import { laggedFeatureNames, laggedRows } from './lagged';
import { crossValidatedLimits, theoreticalLimits } from './monitoring-limits';
import { pcaCore } from './pca-core';

/** Training data: variable names and rows in time order (one value per variable, each in its own unit). */
export interface TrainingData {
  readonly variables: readonly string[];
  readonly rows: readonly (readonly number[])[];
}

const confidence = z.number().gt(0.5, 'a confidence must lie in (0.5, 1)').lt(1, 'a confidence must lie in (0.5, 1)');

export const fitOptionsSchema = z
  .object({
    componentRule: componentRuleSchema.default(DEFAULT_COMPONENT_RULE),
    confidence: confidence.default(0.99),
    lags: z.number().int().min(0).max(20).default(0),
    speMethod: speMethodSchema.default('jackson-mudholkar'),
    limitMethod: limitMethodSchema.default({ kind: 'theoretical' }),
    ewmaLambda: z.number().gt(0, 'lambda must lie in (0, 1]').max(1, 'lambda must lie in (0, 1]').default(1),
    persistence: persistenceRuleSchema.default({ kind: 'consecutive', count: 3 }),
  })
  .strict();

export type FitOptions = z.input<typeof fitOptionsSchema>;

function dataViolations(data: TrainingData, lags: number, folds: number): FieldViolation[] {
  const v: FieldViolation[] = [];
  const n = data.variables.length;
  if (n < 2) v.push({ field: 'variables', description: `a multivariate model needs at least 2 variables, got ${n}` });
  data.variables.forEach((name, j) => {
    if (!name) v.push({ field: `variables[${j}]`, description: 'empty variable name' });
  });
  if (new Set(data.variables).size !== n) v.push({ field: 'variables', description: 'variable names must be unique' });
  data.rows.forEach((row, i) => {
    if (row.length !== n) v.push({ field: `rows[${i}]`, description: `has ${row.length} values, expected ${n}` });
    else
      row.forEach((x, j) => {
        if (!Number.isFinite(x)) v.push({ field: `rows[${i}][${j}]`, description: `${data.variables[j]}: not a finite number` });
      });
  });
  const needed = Math.max(lags + 3, folds * (lags + 3));
  if (data.rows.length < needed) v.push({ field: 'rows', description: `needs at least ${needed} rows for ${lags} lag(s)${folds > 1 ? ` and ${folds} folds` : ''}, got ${data.rows.length}` });
  return v;
}

/**
 * Fits a PCA (or, with `lags` > 0, dynamic PCA) monitoring model on normal operation: autoscaling
 * (constant variables excluded), eigen-decomposition of the correlation matrix, components by the
 * rule, then T² and SPE limits at the confidence (see `monitoring-limits.ts`). Pure and
 * deterministic: the same data and options give the same model.
 */
export function fitMonitoringModel(data: TrainingData, options: FitOptions = {}): MonitoringModel {
  const parsed = fitOptionsSchema.safeParse(options);
  if (!parsed.success) throw new MonitoringError(MonitoringErrorCode.invalidOptions, 'invalid fit options', zodViolations(parsed.error));
  const o = parsed.data;
  const folds = o.limitMethod.kind === 'cross-validated' ? o.limitMethod.folds : 1;
  const violations = dataViolations(data, o.lags, folds);
  if (violations.length > 0) throw new MonitoringError(MonitoringErrorCode.invalidData, 'invalid training data', violations);

  const rows = laggedRows(data.rows, o.lags);
  const featureCount = data.variables.length * (o.lags + 1);
  const core = pcaCore(rows, featureCount);
  if (core.activeFeatures < 2) {
    throw new MonitoringError(MonitoringErrorCode.invalidData, 'invalid training data', [{ field: 'rows', description: `only ${core.activeFeatures} variable(s) vary in the training data; a model needs 2` }]);
  }
  const components = Math.min(chooseComponents(o.componentRule, core.eigenvalues, core.activeFeatures, rows.length), rows.length - 2);
  if (o.limitMethod.kind === 'theoretical' && o.ewmaLambda < 1 && rows.length - components <= 4) {
    throw new MonitoringError(MonitoringErrorCode.invalidData, 'invalid training data', [
      { field: 'rows', description: `theoretical EWMA limits need more than ${components + 4} training rows (the F variance is infinite below), got ${rows.length}` },
    ]);
  }
  const settings = { confidence: o.confidence, components, lags: o.lags, speMethod: o.speMethod, limitMethod: o.limitMethod, ewmaLambda: o.ewmaLambda };
  const limits = o.limitMethod.kind === 'cross-validated' ? crossValidatedLimits(settings, data.rows, featureCount, o.limitMethod.folds) : theoreticalLimits(settings, core.eigenvalues, rows.length);
  return {
    format: 'reflux.pca-monitoring',
    version: 1,
    variables: [...data.variables],
    lags: o.lags,
    features: laggedFeatureNames(data.variables, o.lags),
    trainingSamples: rows.length,
    scaling: { mean: core.scaling.mean, scale: core.scaling.scale },
    componentRule: o.componentRule,
    components,
    eigenvalues: core.eigenvalues,
    loadings: core.vectors.slice(0, components),
    confidence: o.confidence,
    limitMethod: o.limitMethod,
    ...limits,
    persistence: o.persistence,
  };
}
