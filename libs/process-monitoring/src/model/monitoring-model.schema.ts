import { z } from 'zod';

const finite = z.number().finite();
const probability = z.number().gt(0.5, 'a confidence must lie in (0.5, 1)').lt(1, 'a confidence must lie in (0.5, 1)');

export const componentRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cumulative-variance'), percent: z.number().gt(0).max(100) }).strict(),
  z.object({ kind: z.literal('kaiser') }).strict(),
  z.object({ kind: z.literal('parallel-analysis'), datasets: z.number().int().min(1).max(1000), percentile: z.number().min(0).max(100), seed: z.number().int().min(0) }).strict(),
  z.object({ kind: z.literal('fixed'), components: z.number().int().min(1) }).strict(),
]);

/** A warning needs `count` consecutive violating samples, or `k` violating among the last `n`. */
export const persistenceRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('consecutive'), count: z.number().int().min(1).max(1000) }).strict(),
  z
    .object({ kind: z.literal('k-of-n'), k: z.number().int().min(1), n: z.number().int().min(1).max(1000) })
    .strict()
    .refine((r) => r.k <= r.n, { message: 'k must not exceed n', path: ['k'] }),
]);

export const speMethodSchema = z.enum(['jackson-mudholkar', 'box']);

/**
 * Where the limits come from: the distributions of T² and SPE under the model (`theoretical`), or the
 * statistics of each contiguous block of the training data scored by a model fitted without it
 * (`cross-validated`, `folds` blocks), moment-matched to g χ²_h. The second sees the autocorrelation
 * and the over-fitting of a small training set that the first ignores.
 */
export const limitMethodSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('theoretical') }).strict(),
  z.object({ kind: z.literal('cross-validated'), folds: z.number().int().min(2).max(20) }).strict(),
]);

/** The monitored statistics are EWMAs of T² and SPE with weight `lambda` (1: the raw statistics), started at `start`. */
export const ewmaSchema = z
  .object({
    lambda: z.number().gt(0, 'lambda must lie in (0, 1]').max(1, 'lambda must lie in (0, 1]'),
    start: z.object({ t2: finite.min(0), spe: finite.min(0) }).strict(),
  })
  .strict();

/**
 * The monitoring model document (format `reflux.pca-monitoring`, version 1): everything a scorer
 * needs, JSON-serialisable, so the safety service can store it as an event payload. Units: the model
 * is dimensionless except `scaling.mean` and `scaling.scale`, which carry each variable's own unit.
 */
export const monitoringModelSchema = z
  .object({
    format: z.literal('reflux.pca-monitoring'),
    version: z.literal(1),
    variables: z.array(z.string().min(1)).min(2),
    lags: z.number().int().min(0).max(20),
    features: z.array(z.string().min(1)),
    trainingSamples: z.number().int().min(3),
    scaling: z.object({ mean: z.array(finite), scale: z.array(finite.min(0)) }).strict(),
    componentRule: componentRuleSchema,
    components: z.number().int().min(1),
    eigenvalues: z.array(finite),
    loadings: z.array(z.array(finite)),
    confidence: probability,
    limitMethod: limitMethodSchema,
    ewma: ewmaSchema,
    limits: z
      .object({
        t2: finite.positive(),
        spe: finite.min(0),
        t2Method: z.enum(['f-distribution', 'moment-matched']),
        speMethod: z.enum(['jackson-mudholkar', 'box', 'moment-matched']),
      })
      .strict(),
    persistence: persistenceRuleSchema,
  })
  .strict();

export type MonitoringModel = z.infer<typeof monitoringModelSchema>;
export type PersistenceRule = z.infer<typeof persistenceRuleSchema>;
export type SpeMethod = z.infer<typeof speMethodSchema>;
export type LimitMethod = z.infer<typeof limitMethodSchema>;
