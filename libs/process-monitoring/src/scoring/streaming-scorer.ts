import { z } from 'zod';
import { type FieldViolation, MonitoringError, MonitoringErrorCode } from '../monitoring.error';
import type { MonitoringModel } from '../model/monitoring-model.schema';
import { zodViolations } from '../model/parse-model';
import { persistenceMet, persistenceWindow } from './persistence';
import { project } from './project';

/** One variable's share of the statistics, its lagged copies summed. */
export interface VariableContribution {
  readonly variable: string;
  readonly t2: number;
  readonly spe: number;
}

export type SampleScore =
  | {
      /** Dynamic PCA: fewer than `lags` earlier samples seen, nothing to score yet. */
      readonly status: 'warming-up';
      readonly warning: false;
    }
  | {
      readonly status: 'scored';
      /** The monitored statistics, compared with the model's limits: EWMAs of T² and SPE (the raw values when λ = 1). */
      readonly t2: number;
      readonly spe: number;
      /** T² and SPE of this sample alone. */
      readonly rawT2: number;
      readonly rawSpe: number;
      readonly t2Exceeded: boolean;
      readonly speExceeded: boolean;
      /** This sample violates a limit (T² or SPE). */
      readonly violation: boolean;
      /** The model's warning decision: its persistence rule is met on the violations up to this sample. */
      readonly warning: boolean;
      /** The warning starts (false → true) or ends (true → false) at this sample. */
      readonly raised: boolean;
      readonly cleared: boolean;
      /** Per variable, in the model's variable order. */
      readonly contributions: readonly VariableContribution[];
      /** Up to five variables with the largest share of the exceeded statistics (of both when none is exceeded). */
      readonly topContributors: readonly string[];
    };

/** What a scorer remembers between samples, to be stored with the stream position across restarts. */
export const scorerStateSchema = z
  .object({
    recentSamples: z.array(z.array(z.number().finite())),
    recentViolations: z.array(z.boolean()),
    warning: z.boolean(),
    ewma: z.object({ t2: z.number().finite().min(0), spe: z.number().finite().min(0) }).strict(),
  })
  .strict();

export type ScorerState = z.infer<typeof scorerStateSchema>;

/**
 * Scores one sample vector at a time against a fitted model, keeping the lag window and the
 * persistence history. A rejected sample (wrong length, non-finite value) changes nothing.
 */
export class StreamingScorer {
  private readonly recentSamples: number[][];
  private readonly recentViolations: boolean[];
  private warning: boolean;
  private ewma: { t2: number; spe: number };

  constructor(
    readonly model: MonitoringModel,
    state?: ScorerState,
  ) {
    const s = state === undefined ? { recentSamples: [], recentViolations: [], warning: false, ewma: model.ewma.start } : StreamingScorer.checkState(model, state);
    this.recentSamples = s.recentSamples.map((r) => [...r]);
    this.recentViolations = [...s.recentViolations];
    this.warning = s.warning;
    this.ewma = { ...s.ewma };
  }

  score(sample: readonly number[]): SampleScore {
    const violations = sampleViolations(this.model, sample, 'sample');
    if (violations.length > 0) throw new MonitoringError(MonitoringErrorCode.invalidSample, 'invalid sample', violations);
    const { lags, variables } = this.model;
    const history = this.recentSamples;
    if (history.length < lags) {
      history.push([...sample]);
      return { status: 'warming-up', warning: false };
    }
    const features = [...sample];
    for (let k = 1; k <= lags; k++) features.push(...history[history.length - k]!);
    if (lags > 0) {
      history.push([...sample]);
      history.shift();
    }
    const p = project(this.model, features);
    const lambda = this.model.ewma.lambda;
    this.ewma = { t2: lambda * p.t2 + (1 - lambda) * this.ewma.t2, spe: lambda * p.spe + (1 - lambda) * this.ewma.spe };
    const t2Exceeded = this.ewma.t2 > this.model.limits.t2;
    const speExceeded = this.ewma.spe > this.model.limits.spe;
    const violation = t2Exceeded || speExceeded;
    this.recentViolations.push(violation);
    if (this.recentViolations.length > persistenceWindow(this.model.persistence)) this.recentViolations.shift();
    const was = this.warning;
    this.warning = persistenceMet(this.model.persistence, this.recentViolations);
    const contributions = variables.map((variable, j) => {
      let t2 = 0;
      let spe = 0;
      for (let k = 0; k <= lags; k++) {
        t2 += p.t2Contributions[k * variables.length + j]!;
        spe += p.speContributions[k * variables.length + j]!;
      }
      return { variable, t2, spe };
    });
    return {
      status: 'scored',
      t2: this.ewma.t2,
      spe: this.ewma.spe,
      rawT2: p.t2,
      rawSpe: p.spe,
      t2Exceeded,
      speExceeded,
      violation,
      warning: this.warning,
      raised: this.warning && !was,
      cleared: was && !this.warning,
      contributions,
      topContributors: topContributors(contributions, p.t2, p.spe, violation ? t2Exceeded : true, violation ? speExceeded : true),
    };
  }

  /** A copy of the state; `new StreamingScorer(model, state)` continues exactly where this one is. */
  state(): ScorerState {
    return { recentSamples: this.recentSamples.map((r) => [...r]), recentViolations: [...this.recentViolations], warning: this.warning, ewma: { ...this.ewma } };
  }

  private static checkState(model: MonitoringModel, state: ScorerState): ScorerState {
    const parsed = scorerStateSchema.safeParse(state);
    const v: FieldViolation[] = parsed.success ? [] : zodViolations(parsed.error, 'state');
    if (parsed.success) {
      if (state.recentSamples.length > model.lags) v.push({ field: 'state.recentSamples', description: `holds ${state.recentSamples.length} samples, the model keeps ${model.lags}` });
      state.recentSamples.forEach((r, i) => v.push(...sampleViolations(model, r, `state.recentSamples[${i}]`)));
      if (state.recentViolations.length > persistenceWindow(model.persistence)) v.push({ field: 'state.recentViolations', description: 'longer than the persistence window' });
    }
    if (v.length > 0) throw new MonitoringError(MonitoringErrorCode.invalidSample, 'invalid scorer state', v);
    return state;
  }
}

function sampleViolations(model: MonitoringModel, sample: readonly number[], field: string): FieldViolation[] {
  if (sample.length !== model.variables.length) return [{ field, description: `has ${sample.length} values, the model has ${model.variables.length} variables` }];
  const v: FieldViolation[] = [];
  sample.forEach((x, j) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) v.push({ field: `${field}[${j}]`, description: `${model.variables[j]}: not a finite number` });
  });
  return v;
}

function topContributors(c: readonly VariableContribution[], t2: number, spe: number, useT2: boolean, useSpe: boolean): string[] {
  const share = c.map((x) => (useT2 && t2 > 0 ? Math.max(0, x.t2) / t2 : 0) + (useSpe && spe > 0 ? x.spe / spe : 0));
  return c
    .map((_, j) => j)
    .sort((a, b) => share[b]! - share[a]! || a - b)
    .slice(0, 5)
    .map((j) => c[j]!.variable);
}
