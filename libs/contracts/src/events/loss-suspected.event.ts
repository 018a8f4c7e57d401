import { z } from 'zod';
import { finite, identifier, timeWindow } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';

export const lossSuspectedSchema = z.object({
  plantId: identifier,
  window: timeWindow,
  /** The process unit (node of the balance) where mass appears to leave unmeasured. */
  unitId: identifier,
  /** Estimated unmeasured loss in kg/s (positive: mass lost; negative: unexplained gain). */
  estimatedLossKgPerS: finite,
  /** Nodal test statistic, dimensionless. */
  testStatistic: finite,
  criticalValue: finite.refine((v) => v >= 0, 'must be ≥ 0'),
});

export type LossSuspected = z.infer<typeof lossSuspectedSchema>;

export const LossSuspectedContract = defineEvent({
  type: 'LossSuspected',
  topic: TOPICS.balancing,
  description: 'A unit balance does not close beyond its test limit: a leak, flare or unmeasured draw is suspected.',
  schema: lossSuspectedSchema,
});
