import type { OpenDemand } from './replan';
import type { ScheduleResult } from './schedule';

/** A supply-chain allocation's production targets for the plant (from `SiteTargetsPublished`). */
export interface SiteTargets {
  readonly siteId: string;
  readonly allocationId: string;
  /** Start of the supply-chain period 0 and its length. */
  readonly horizonStart: string;
  readonly periodHours: number;
  readonly targets: readonly { readonly processId: string; readonly materialId: string; readonly period: number; readonly quantityT: number; readonly modulesOn: number }[];
  readonly publishedAt: string;
}

/** Penalties of a target not met, currency per t (and per period late). */
export interface TargetPenalties {
  readonly shortfallPenaltyPerT: number;
  readonly latenessPenaltyPerTPerPeriod: number;
}

const HOUR_MS = 3_600_000;
export const targetDemandId = (t: { processId: string; period: number }): string => `target:${t.processId}:${t.period}`;

/**
 * The targets as demands of the plant: each target (process, supply-chain period) must be made
 * within its period — released at its start, due in the last scheduling period inside it.
 */
export function targetDemands(targets: SiteTargets, penalties: TargetPenalties): OpenDemand[] {
  const start = Date.parse(targets.horizonStart);
  const length = targets.periodHours * HOUR_MS;
  return targets.targets
    .filter((t) => t.quantityT > 0)
    .map((t) => ({
      id: targetDemandId(t),
      material: t.materialId,
      quantityT: t.quantityT,
      releaseAt: new Date(start + t.period * length).toISOString(),
      dueAt: new Date(start + (t.period + 1) * length - 1).toISOString(),
      priority: 1,
      latenessPenaltyPerTPerPeriod: penalties.latenessPenaltyPerTPerPeriod,
      shortfallPenaltyPerT: penalties.shortfallPenaltyPerT,
    }));
}

/** What the plant can make of one target according to a schedule. */
export interface AchievableTarget {
  readonly processId: string;
  readonly materialId: string;
  readonly period: number;
  readonly targetT: number;
  readonly achievableT: number;
  /** Modules the achievable quantity stands for (the target's modules scaled by achievable / target, rounded down). */
  readonly availableModules: number;
}

/** Per target the schedule planned for: the quantity it delivers (target − shortfall). Targets the schedule did not plan for are left out. */
export function achievableTargets(targets: SiteTargets, result: ScheduleResult): AchievableTarget[] {
  const planned = new Map((result.schedule?.demands ?? []).map((d) => [d.demand, d]));
  return targets.targets.flatMap((t) => {
    const d = planned.get(targetDemandId(t));
    if (!d) return [];
    const achievableT = Math.max(0, Number((t.quantityT - d.shortfallT).toFixed(3)));
    const availableModules = achievableT >= t.quantityT - 1e-6 ? t.modulesOn : Math.floor((t.modulesOn * achievableT) / t.quantityT + 1e-9);
    return [{ processId: t.processId, materialId: t.materialId, period: t.period, targetT: t.quantityT, achievableT, availableModules }];
  });
}

/** A capacity change to report: consecutive periods of one process with the same achievable quantity. */
export interface CapacityChange {
  readonly processId: string;
  readonly fromPeriod: number;
  readonly toPeriod: number;
  readonly availableModules: number;
  readonly achievableT: number;
  readonly targetT: number;
}

const key = (a: { processId: string; period: number }) => `${a.processId}:${a.period}`;

/**
 * The entries that differ from those last reported for the same allocation (a target met in full
 * counts as reported when nothing was), grouped into runs of consecutive periods. Empty: nothing
 * to report, so a plan that changes nothing does not start a loop with supply chain.
 */
export function capacityChanges(now: readonly AchievableTarget[], lastReported: readonly AchievableTarget[]): CapacityChange[] {
  const before = new Map(lastReported.map((a) => [key(a), a]));
  const changed = now
    .filter((a) => {
      const b = before.get(key(a));
      return b ? Math.abs(b.achievableT - a.achievableT) > 1e-3 || b.availableModules !== a.availableModules : a.achievableT < a.targetT - 1e-3;
    })
    .sort((a, b) => a.processId.localeCompare(b.processId) || a.period - b.period);
  const runs: CapacityChange[] = [];
  for (const a of changed) {
    const last = runs.at(-1);
    if (last && last.processId === a.processId && last.toPeriod === a.period && last.availableModules === a.availableModules && Math.abs(last.achievableT - a.achievableT) <= 1e-3 && last.targetT === a.targetT) {
      runs[runs.length - 1] = { ...last, toPeriod: a.period + 1 };
    } else runs.push({ processId: a.processId, fromPeriod: a.period, toPeriod: a.period + 1, availableModules: a.availableModules, achievableT: a.achievableT, targetT: a.targetT });
  }
  return runs;
}
