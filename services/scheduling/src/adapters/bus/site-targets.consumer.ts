import { EVENT_TYPES, type SiteTargetsPublished } from '@reflux/contracts';
import type { BusSubscription, EventBus } from '@reflux/messaging';
import type { Cause } from '../../application/schedule-book';
import type { SiteTargets } from '../../domain/site-targets';

export const SITE_TARGETS_CONSUMER_GROUP = 'scheduling.site-targets';

/**
 * `SiteTargetsPublished` from the supply-chain service: the targets of a site that stands for a
 * plant (the event's `plantId`, else a site id equal to a plant id), with the event as cause.
 */
export function subscribeSiteTargets(bus: EventBus, onTargets: (plantId: string, eventId: string, targets: SiteTargets, cause: Cause) => Promise<void>): Promise<BusSubscription> {
  return bus.subscribe({
    group: SITE_TARGETS_CONSUMER_GROUP,
    types: [EVENT_TYPES.SiteTargetsPublished],
    retry: { maxDelayMs: 2000 },
    handler: async (event) => {
      const d = event.data as SiteTargetsPublished;
      const targets: SiteTargets = { siteId: d.siteId, allocationId: d.allocationId, horizonStart: d.horizonStart, periodHours: d.periodHours, targets: d.targets, publishedAt: d.publishedAt };
      await onTargets(d.plantId ?? d.siteId, event.eventId, targets, { causationId: event.eventId, correlationId: event.correlationId });
    },
  });
}
