import { z } from 'zod';
import { count, finite, identifier, instant } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';

/** An order the proposal delivers late or short (the first 100; `lateOrders`/`shortOrders` count all). */
const orderAtRiskSchema = z.object({
  orderId: identifier,
  /** Periods after the due period at which the order is complete; 0 when on time. */
  latePeriods: count,
  /** Quantity never delivered within the horizon, t. */
  shortfallT: finite.refine((v) => v >= 0, 'must be ≥ 0'),
});

export const allocationProposedSchema = z.object({
  allocationId: identifier,
  proposedAt: instant,
  /** Why it was proposed: an order change, a disruption (with its reason), a capacity change, a request. */
  trigger: z.string().max(1000),
  /** Periods at the start of the horizon kept from the plan in force (committed and in transit). */
  frozenPeriods: count,
  /** Weighted objective of the allocation, in `currency`. */
  objective: finite,
  currency: z.string().length(3),
  co2T: finite,
  lateOrders: count,
  shortOrders: count,
  ordersAtRisk: z.array(orderAtRiskSchema).max(100),
});

export type AllocationProposed = z.infer<typeof allocationProposedSchema>;

export const AllocationProposedContract = defineEvent({
  type: 'AllocationProposed',
  topic: TOPICS.supplyChain,
  description: 'The supply-chain service proposed an allocation (after an order change, a disruption or a request); a planner publishes it, or it is published automatically where configured.',
  schema: allocationProposedSchema,
});
