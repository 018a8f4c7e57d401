import type { Logger } from 'pino';
import type { ProblemInput } from '../domain/problem.schema';
import { mapReconciledYields, type ReconciledYield } from '../domain/reconciled-yields';
import type { ScheduleResult } from '../domain/schedule';
import type { ProposedSchedule } from '../domain/schedule-lifecycle.events';
import type { ReconciledYieldsPort } from './reconciled-yields.port';

export interface YieldsForPlan {
  readonly yields: readonly ReconciledYield[];
  /** Why a unit has no reconciled yields (per unit). */
  readonly notes: ReadonlyMap<string, string>;
  /** Why no unit has any: balancing not configured, unreachable, or without a window. */
  readonly fallback?: string;
}

const NONE: YieldsForPlan = { yields: [], notes: new Map() };

/**
 * Reconciled yields for a plan, read from the balancing service when one is configured. It never
 * fails a plan: without balancing, or while it cannot be reached, the plan uses the model's yields
 * and says why; an outage is logged once per plant (and its end once).
 */
export class ReconciledYieldsReader {
  private readonly down = new Set<string>();

  constructor(
    private readonly port: ReconciledYieldsPort | undefined,
    private readonly logger: Logger,
  ) {}

  get configured(): boolean {
    return this.port !== undefined;
  }

  async forPlan(plantId: string, model: ProblemInput, published: ProposedSchedule | undefined): Promise<YieldsForPlan> {
    if (!model.units.some((u) => u.balancing)) return NONE;
    if (!this.port) return { ...NONE, fallback: 'no balancing service configured (BALANCING_ADDRESS): model yields' };
    try {
      const reading = await this.port.latest(plantId);
      if (this.down.delete(plantId)) this.logger.info({ plantId }, 'balancing answers again: planning with reconciled yields');
      if (!reading) return { ...NONE, fallback: 'balancing has no reconciled window of the plant yet: model yields' };
      return mapReconciledYields(model, reading, published);
    } catch (error) {
      if (!this.down.has(plantId)) {
        this.down.add(plantId);
        this.logger.warn({ err: error, plantId }, 'balancing cannot be reached: planning with model yields until it answers');
      }
      return { ...NONE, fallback: `balancing unavailable (${(error as Error).message.slice(0, 200)}): model yields` };
    }
  }
}

/** The result with the reason written on each unit/mode planned with model yields that has none yet. */
export function annotateYieldSources(result: ScheduleResult, used: YieldsForPlan): ScheduleResult {
  if (used.notes.size === 0 && used.fallback === undefined) return result;
  return {
    ...result,
    yieldSources: result.yieldSources.map((s) => {
      const note = s.source === 'model' && s.note === undefined ? (used.notes.get(s.unit) ?? used.fallback) : undefined;
      return note === undefined ? s : { ...s, note };
    }),
  };
}
