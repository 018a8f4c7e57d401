import { z } from 'zod';
import { finite, identifier, instant } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';

/** One tag's share of the exceeded statistics (dimensionless, the lagged copies summed). */
export const contributionSchema = z.object({ tagId: identifier, t2: finite, spe: finite });

/** What a multivariate (PCA / dynamic PCA) warning saw: monitored statistics, their limits, the top contributing tags. */
export const multivariateWarningSchema = z.object({
  modelVersion: z.number().int().min(1),
  t2: finite.min(0),
  spe: finite.min(0),
  t2Limit: finite.positive(),
  speLimit: finite.min(0),
  /** Largest contributors first, at most 5. */
  topContributors: z.array(contributionSchema).max(5),
});

/** A trend heading for an alarm limit: when the fitted line meets it, with the prediction band's earliest and latest crossings. */
export const trendWarningSchema = z.object({
  tagId: identifier,
  /** The alarm limit predicted to be crossed. */
  limitKind: z.enum(['HH', 'H', 'L', 'LL']),
  limit: finite,
  value: finite,
  slopePerSecond: finite,
  estimatedSeconds: finite.min(0),
  earliestSeconds: finite.min(0),
  /** Absent when the band's far edge does not reach the limit within the horizon. */
  latestSeconds: finite.min(0).optional(),
});

export const earlyWarningRaisedSchema = z.object({
  plantId: identifier,
  area: identifier,
  /** The monitored unit; absent for a trend on a tag that belongs to no unit. */
  unitId: identifier.optional(),
  /** Stable per condition: `pca:<unitId>` or `trend:<tagId>/<limitKind>`; the matching EarlyWarningCleared carries it. */
  warningId: identifier,
  kind: z.enum(['multivariate', 'trend']),
  /** Data time of the sample that met the warning rule. */
  raisedAt: instant,
  message: z.string().max(500),
  multivariate: multivariateWarningSchema.optional(),
  trend: trendWarningSchema.optional(),
});

export type EarlyWarningRaised = z.infer<typeof earlyWarningRaisedSchema>;

export const EarlyWarningRaisedContract = defineEvent({
  type: 'EarlyWarningRaised',
  topic: TOPICS.safety,
  description: 'A unit left its normal-operation model (T² or SPE beyond limits for the configured number of samples), or a tag trends towards an alarm limit; raised before any alarm.',
  schema: earlyWarningRaisedSchema,
});
