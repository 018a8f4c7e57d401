import { z } from 'zod';
import { count, identifier, instant } from '../common.schemas';
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
