import type { Logger } from 'pino';
import { largestYieldChange } from '../domain/reconciled-yields';
import type { OptimizationJobs, PlantModel } from './optimization-jobs';
import type { ReconciledYield } from '../domain/reconciled-yields';
import type { ReconciledYieldsReader } from './reconciled-yields';
import type { Cause, ScheduleBook } from './schedule-book';

export interface YieldReplanDeps {
  readonly jobs: OptimizationJobs;
  readonly books: ReadonlyMap<string, ScheduleBook>;
  readonly models: ReadonlyMap<string, PlantModel>;
  readonly yields: ReconciledYieldsReader;
  /** Relative change of a yield (0.02: 2 %) above which a new window re-plans. */
  readonly threshold: number;
  readonly logger: Logger;
  /** Per plant, the yields that last asked for a re-plan (so a window seen twice before it ran does not ask again). */
  readonly asked: Map<string, readonly ReconciledYield[]>;
}

/**
 * After a reconciled window of a plant: re-plans only when a reconciled yield moved by more than
 * the threshold against those the last plan used (a yield that appears or disappears counts as
 * moved) or that an earlier window asked a re-plan for, so a plant is not re-planned every
 * window. Returns whether it re-planned.
 */
export async function replanOnReconciledYields(deps: YieldReplanDeps, plantId: string, cause: Cause): Promise<boolean> {
  const model = deps.models.get(plantId);
  const book = deps.books.get(plantId);
  if (!model || !book || !deps.yields.configured) return false;
  await book.load();
  const now = await deps.yields.forPlan(plantId, model.document, book.published());
  if (now.fallback !== undefined) return false;
  const change = largestYieldChange(deps.asked.get(plantId) ?? book.latest()?.reconciledYields ?? [], now.yields);
  if (change <= deps.threshold) {
    deps.logger.debug({ plantId, change }, 'reconciled yields moved too little to re-plan');
    return false;
  }
  deps.logger.info({ plantId, changePercent: Number((change * 100).toFixed(2)) }, 'reconciled yields moved: re-planning');
  deps.asked.set(plantId, now.yields);
  await deps.jobs.replan(plantId, 'balance-reconciled', cause);
  return true;
}
