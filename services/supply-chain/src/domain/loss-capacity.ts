import type { SiteDisruption } from './coordination.decider';
import { periodAt, type Network } from './network.schema';

/** What the supply chain reads from balancing's `LossSuspected`. */
export interface SuspectedLoss {
  readonly plantId: string;
  readonly unitId: string;
  /** kg/s; positive: mass lost, negative: an unexplained gain. */
  readonly estimatedLossKgPerS: number;
  /** End of the balance window in which the loss was found. */
  readonly foundAt: Date;
}

/** kg/s → t per period: × 3,600 s/h × period hours ÷ 1,000 kg/t. */
export function tPerPeriodOf(kgPerS: number, periodHours: number): number {
  return (kgPerS * 3600 * periodHours) / 1000;
}

/**
 * A suspected loss at a unit of a site's plant takes the lost mass rate off what the site can make:
 * from the period in which the loss was found, for `periods` periods, the site's processes together
 * make `lost` t per period less than their modules could. A gain (negative loss), a unit of no site,
 * or a site without processes removes no capacity: undefined.
 */
export function capacityLossOf(network: Network, loss: SuspectedLoss, periods: number): SiteDisruption | undefined {
  if (!(loss.estimatedLossKgPerS > 0)) return undefined;
  const site = network.sites.find((s) => s.plantId === loss.plantId && (s.units.length === 0 || s.units.includes(loss.unitId)));
  if (!site || site.processes.length === 0) return undefined;
  const from = periodAt(network, loss.foundAt);
  const lostTPerPeriod = Math.round(tPerPeriodOf(loss.estimatedLossKgPerS, network.horizon.periodHours) * 1e6) / 1e6;
  return { site: site.id, fromPeriod: from, toPeriod: Math.min(network.horizon.periods, from + periods), lostTPerPeriod };
}
