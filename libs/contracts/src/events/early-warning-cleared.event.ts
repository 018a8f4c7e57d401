import { z } from 'zod';
import { identifier, instant } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';

export const earlyWarningClearedSchema = z.object({
  plantId: identifier,
  area: identifier,
  /** The monitored unit; absent for a trend on a tag that belongs to no unit. */
  unitId: identifier.optional(),
  warningId: identifier,
  kind: z.enum(['multivariate', 'trend']),
  clearedAt: instant,
  /** `returned-to-normal` (the rule no longer holds), `limit-reached` (the alarm now speaks), `model-replaced`, `unit-not-running`. */
  reason: z.enum(['returned-to-normal', 'limit-reached', 'model-replaced', 'unit-not-running']),
});

export type EarlyWarningCleared = z.infer<typeof earlyWarningClearedSchema>;

export const EarlyWarningClearedContract = defineEvent({
  type: 'EarlyWarningCleared',
  topic: TOPICS.safety,
  description: 'An early warning ended: the unit returned to its normal-operation model, or the trend no longer heads for the limit (or reached it).',
  schema: earlyWarningClearedSchema,
});
