import type { Scenario } from './scenario.schema';
import { slowWave } from './slow-wave';

/** Scheduled production rate at a time (ramps between set-points), before the slow wander. */
export const scheduledRate = (scenario: Scenario, timeS: number): number => {
  let rate = scenario.initialRate;
  const changes = [...scenario.rateChanges].sort((a, b) => a.atS - b.atS);
  for (const change of changes) {
    if (timeS < change.atS) break;
    const progress = change.rampS === 0 ? 1 : Math.min(1, (timeS - change.atS) / change.rampS);
    rate = rate + (change.rate - rate) * progress;
  }
  return rate;
};

/** Plant-wide production rate (1 = nominal): the schedule times a slow wander. */
export const productionRate = (scenario: Scenario, timeS: number): number =>
  scheduledRate(scenario, timeS) * (1 + scenario.drift.rateFraction * slowWave(scenario.seed, 'plant:rate', timeS));
