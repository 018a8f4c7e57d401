import { z } from 'zod';
import { finite, identifier, quantity, timeWindow } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';

export const grossErrorSuspectedSchema = z.object({
  plantId: identifier,
  window: timeWindow,
  /** The measurement suspected of a gross error. */
  tagId: identifier,
  /** The plant stream the tag measures. */
  streamId: identifier,
  /** Estimated systematic error of the measurement, in the tag's unit (e.g. `kg/s`). */
  estimatedBias: quantity,
  /** Measurement (or nodal) test statistic, dimensionless. */
  testStatistic: finite,
  criticalValue: finite.refine((v) => v >= 0, 'must be ≥ 0'),
});

export type GrossErrorSuspected = z.infer<typeof grossErrorSuspectedSchema>;

export const GrossErrorSuspectedContract = defineEvent({
  type: 'GrossErrorSuspected',
  topic: TOPICS.balancing,
  description: 'A measurement failed its test in a reconciliation window; the bias estimate carries its unit.',
  schema: grossErrorSuspectedSchema,
});
