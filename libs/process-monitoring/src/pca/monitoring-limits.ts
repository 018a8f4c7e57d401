import { MonitoringError, MonitoringErrorCode } from '../monitoring.error';
import type { LimitMethod, MonitoringModel, SpeMethod } from '../model/monitoring-model.schema';
import { project } from '../scoring/project';
import { ewmaVariance, hotellingT2Limit, hotellingT2Moments, momentMatchedLimit, speLimitBox, speLimitJacksonMudholkar, speMoments } from './control-limits';
import { laggedRows } from './lagged';
import { pcaCore } from './pca-core';

export interface LimitSettings {
  readonly confidence: number;
  readonly components: number;
  readonly lags: number;
  readonly speMethod: SpeMethod;
  readonly limitMethod: LimitMethod;
  readonly ewmaLambda: number;
}

type Limits = Pick<MonitoringModel, 'limits' | 'ewma'>;

function meanVariance(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return { mean, variance: xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1) };
}

function ewma(xs: readonly number[], lambda: number, start: number): number[] {
  let s = start;
  return xs.map((x) => (s = lambda * x + (1 - lambda) * s));
}

/**
 * Theoretical limits: T² from the F distribution and SPE by Jackson–Mudholkar (Box where h0 ≤ 0 or
 * when asked); with an EWMA (λ < 1), the EWMA of each statistic moment-matched to g χ²_h with
 * the statistic's own mean and the variance shrunk by λ / (2 − λ).
 */
export function theoreticalLimits(s: LimitSettings, eigenvalues: readonly number[], samples: number): Limits {
  const residual = eigenvalues.slice(s.components);
  const t2m = hotellingT2Moments(s.components, samples);
  const spem = speMoments(residual);
  const start = { t2: t2m.mean, spe: spem.mean };
  if (s.ewmaLambda < 1) {
    return {
      ewma: { lambda: s.ewmaLambda, start },
      limits: {
        t2: momentMatchedLimit(s.confidence, t2m.mean, ewmaVariance(t2m.variance, s.ewmaLambda)),
        spe: momentMatchedLimit(s.confidence, spem.mean, ewmaVariance(spem.variance, s.ewmaLambda)),
        t2Method: 'moment-matched',
        speMethod: 'moment-matched',
      },
    };
  }
  const jm = s.speMethod === 'jackson-mudholkar' ? speLimitJacksonMudholkar(s.confidence, residual) : null;
  return {
    ewma: { lambda: 1, start },
    limits: { t2: hotellingT2Limit(s.confidence, s.components, samples), spe: jm ?? speLimitBox(s.confidence, residual), t2Method: 'f-distribution', speMethod: jm === null ? 'box' : 'jackson-mudholkar' },
  };
}

/**
 * Cross-validated limits: the raw rows are cut into `folds` contiguous blocks; each block is scored
 * by a model (same component count) fitted on the other blocks, the EWMA runs over each block's
 * statistics in time order, and the pooled held-out values are moment-matched to g χ²_h.
 */
export function crossValidatedLimits(s: LimitSettings, rawRows: readonly (readonly number[])[], featureCount: number, folds: number): Limits {
  const t2: number[][] = [];
  const spe: number[][] = [];
  const n = rawRows.length;
  for (let f = 0; f < folds; f++) {
    const lo = Math.floor((f * n) / folds);
    const hi = Math.floor(((f + 1) * n) / folds);
    const training = [...laggedRows(rawRows.slice(0, lo), s.lags), ...laggedRows(rawRows.slice(hi), s.lags)];
    const core = pcaCore(training, featureCount);
    if (!(core.eigenvalues[s.components - 1]! > 0)) {
      throw new MonitoringError(MonitoringErrorCode.invalidData, 'invalid training data', [
        { field: 'rows', description: `fold ${f + 1} of ${folds} leaves too few rows for ${s.components} components; use fewer folds or components, or more rows` },
      ]);
    }
    const model = { scaling: core.scaling, components: s.components, loadings: core.vectors.slice(0, s.components), eigenvalues: core.eigenvalues };
    const held = laggedRows(rawRows.slice(lo, hi), s.lags).map((x) => project(model, x));
    t2.push(held.map((p) => p.t2));
    spe.push(held.map((p) => p.spe));
  }
  const start = { t2: meanVariance(t2.flat()).mean, spe: meanVariance(spe.flat()).mean };
  const smoothedT2 = meanVariance(t2.flatMap((block) => ewma(block, s.ewmaLambda, start.t2)));
  const smoothedSpe = meanVariance(spe.flatMap((block) => ewma(block, s.ewmaLambda, start.spe)));
  return {
    ewma: { lambda: s.ewmaLambda, start },
    limits: {
      t2: momentMatchedLimit(s.confidence, smoothedT2.mean, smoothedT2.variance),
      spe: momentMatchedLimit(s.confidence, smoothedSpe.mean, smoothedSpe.variance),
      t2Method: 'moment-matched',
      speMethod: 'moment-matched',
    },
  };
}
