import { z } from 'zod';
import { count, finite, identifier, instant } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';

export const siteCapacityChangedSchema = z.object({
  siteId: identifier,
  /** The process whose modules change; absent: every process of the site. */
  processId: identifier.optional(),
  /** Periods of the supply-chain horizon, [fromPeriod, toPeriod). */
  fromPeriod: count,
  toPeriod: count,
  availableModules: count,
  /** Tonnes per period the site can make of the process's output over [fromPeriod, toPeriod) (a schedule's achievable quantity), and the target it falls short of. */
  achievableT: finite.refine((v) => v >= 0, 'must be ≥ 0').optional(),
  targetT: finite.refine((v) => v >= 0, 'must be ≥ 0').optional(),
  reason: z.string().max(500),
  changedAt: instant,
});

export type SiteCapacityChanged = z.infer<typeof siteCapacityChangedSchema>;

export const SiteCapacityChangedContract = defineEvent({
  type: 'SiteCapacityChanged',
  topic: TOPICS.scheduling,
  description: 'A site can run fewer (or more) modules than the supply-chain allocation assumed, e.g. a schedule that cannot meet its targets; supply chain re-allocates.',
  schema: siteCapacityChangedSchema,
});
