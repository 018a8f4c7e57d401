import { z } from 'zod';
import { count, finite, identifier, instant } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';

export const siteTargetsPublishedSchema = z.object({
  /** Site of the supply-chain network (and the plant-model plant it stands for, if any). */
  siteId: identifier,
  plantId: identifier.optional(),
  allocationId: identifier,
  /** Start of period 0 of the targets and the period length. */
  horizonStart: instant,
  periodHours: finite.refine((v) => v > 0, 'must be > 0'),
  /** Tonnes to make per process and period (only periods with a target). */
  targets: z
    .array(z.object({ processId: identifier, materialId: identifier, period: count, quantityT: finite.refine((v) => v >= 0, 'must be ≥ 0'), modulesOn: count }))
    .max(100_000),
  publishedAt: instant,
});

export type SiteTargetsPublished = z.infer<typeof siteTargetsPublishedSchema>;

export const SiteTargetsPublishedContract = defineEvent({
  type: 'SiteTargetsPublished',
  topic: TOPICS.supplyChain,
  description: "A published allocation's production targets for one site, per process and period; the scheduling service plans against them.",
  schema: siteTargetsPublishedSchema,
});
