import { z } from 'zod';
import { count, finite, identifier, instant } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';

export const allocationPublishedSchema = z.object({
  allocationId: identifier,
  publishedAt: instant,
  publishedBy: z.string().max(200),
  /** Weighted objective of the allocation, in `currency`. */
  objective: finite,
  currency: z.string().length(3),
  co2T: finite,
  lateOrders: count,
  shortOrders: count,
});

export type AllocationPublished = z.infer<typeof allocationPublishedSchema>;

export const AllocationPublishedContract = defineEvent({
  type: 'AllocationPublished',
  topic: TOPICS.supplyChain,
  description: 'A planner put a supply-chain allocation (which site makes what, what moves where) in force.',
  schema: allocationPublishedSchema,
});
