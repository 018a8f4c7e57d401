import type { FitOptions } from '../pca/fit-monitoring-model';
import { fitMonitoringModel } from '../pca/fit-monitoring-model';
import { StreamingScorer } from '../scoring/streaming-scorer';
import { readTep, TEP_FAULT_START_ROW, TEP_VARIABLES } from './tep-data';

/** The fault sets shipped in ../shared/data/tep. */
export const TEP_FAULTS = ['d01_te.dat', 'd04_te.dat', 'd11_te.dat'] as const;

/** Plain PCA as the literature runs it: 90 % cumulative variance, 99 % F / Jackson–Mudholkar limits, every violation flagged. */
export const PLAIN_PCA_OPTIONS: FitOptions = { componentRule: { kind: 'cumulative-variance', percent: 90 }, confidence: 0.99, persistence: { kind: 'consecutive', count: 1 } };

/**
 * What we recommend for TEP-like plants: dynamic PCA with one lag, limits cross-validated over five
 * blocks of the training data, EWMA (λ = 0.5) of T² and SPE, and two consecutive violations.
 */
export const RECOMMENDED_OPTIONS: FitOptions = {
  componentRule: { kind: 'cumulative-variance', percent: 90 },
  confidence: 0.99,
  lags: 1,
  limitMethod: { kind: 'cross-validated', folds: 5 },
  ewmaLambda: 0.5,
  persistence: { kind: 'consecutive', count: 2 },
};

export interface TepFigures {
  readonly components: number;
  /** Share of flagged rows in d00_te.dat, in %. */
  readonly falseAlarmPercent: number;
  /** Share of flagged rows among rows 161–960 of each fault set, in %. */
  readonly detectionPercent: Readonly<Record<(typeof TEP_FAULTS)[number], number>>;
  /** Rows from the fault's start (row 161) to the first flagged one, in samples of 3 min. */
  readonly detectionDelaySamples: Readonly<Record<(typeof TEP_FAULTS)[number], number | null>>;
}

function flags(options: FitOptions, file: string, train: number[][]): boolean[] {
  const scorer = new StreamingScorer(fitMonitoringModel({ variables: TEP_VARIABLES, rows: train }, options));
  return readTep(file).map((row) => scorer.score(row).warning);
}

const percent = (xs: readonly boolean[]) => (100 * xs.filter(Boolean).length) / xs.length;

/** Trains on d00.dat and scores the normal test set and each fault set, sample by sample. */
export function tepFigures(options: FitOptions): TepFigures {
  const train = readTep('d00.dat');
  const model = fitMonitoringModel({ variables: TEP_VARIABLES, rows: train }, options);
  const detectionPercent = {} as Record<(typeof TEP_FAULTS)[number], number>;
  const detectionDelaySamples = {} as Record<(typeof TEP_FAULTS)[number], number | null>;
  for (const fault of TEP_FAULTS) {
    const faulty = flags(options, fault, train).slice(TEP_FAULT_START_ROW - 1);
    detectionPercent[fault] = percent(faulty);
    const first = faulty.indexOf(true);
    detectionDelaySamples[fault] = first < 0 ? null : first;
  }
  return { components: model.components, falseAlarmPercent: percent(flags(options, 'd00_te.dat', train)), detectionPercent, detectionDelaySamples };
}
