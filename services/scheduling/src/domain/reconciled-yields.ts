import type { ProblemInput } from './problem.schema';
import type { ProposedSchedule } from './schedule-lifecycle.events';

export type ReconciledYield = NonNullable<ProblemInput['reconciledYields']>[number];

/** The balancing service's reconciled yields of one window (its `GetYields`). */
export interface BalancingYields {
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly plantModelVersion: number;
  /** Outlet / total inlet mass flow of a plant-model unit, per outlet stream (dimensionless). */
  readonly yields: readonly { readonly unitId: string; readonly streamId: string; readonly yieldRatio: number }[];
}

export interface MappedYields {
  readonly yields: ReconciledYield[];
  /** Why a unit with a `balancing` mapping got no reconciled yields, per unit. */
  readonly notes: ReadonlyMap<string, string>;
}

/** The mode a unit ran at an instant according to a schedule, if it says. */
function modeAt(schedule: ProposedSchedule | undefined, unit: string, atMs: number): string | undefined {
  if (!schedule?.result.schedule) return undefined;
  const period = Math.floor((atMs - Date.parse(schedule.horizon.start)) / (schedule.horizon.periodHours * 3_600_000));
  return schedule.result.schedule.units.find((u) => u.unit === unit)?.periods.find((p) => p.period === period)?.mode ?? undefined;
}

/**
 * Maps a window of reconciled yields onto the production model: for each unit with a `balancing`
 * mapping, the yields of its plant-model unit's outlet streams, summed per material, observed at
 * the window's end. They apply to the unit's only mode, or to the mode the published schedule ran
 * in the middle of the window; a unit running several modes without that, or whose mapped streams
 * are not all in the window, keeps its design yields (with a note).
 */
export function mapReconciledYields(model: ProblemInput, reading: BalancingYields, published?: ProposedSchedule): MappedYields {
  const yields: ReconciledYield[] = [];
  const notes = new Map<string, string>();
  const origin = `balancing window ${reading.windowStart}/${reading.windowEnd} (plant model v${reading.plantModelVersion})`;
  const mid = (Date.parse(reading.windowStart) + Date.parse(reading.windowEnd)) / 2;
  for (const unit of model.units) {
    if (!unit.balancing) continue;
    const { unit: plantUnit, outputs } = unit.balancing;
    const missing = outputs.filter((o) => !reading.yields.some((y) => y.unitId === plantUnit && y.streamId === o.stream)).map((o) => o.stream);
    if (missing.length > 0) {
      notes.set(unit.id, `${origin} has no yield of ${plantUnit} for ${missing.join(', ')}`);
      continue;
    }
    const mode = unit.modes.length === 1 ? undefined : modeAt(published, unit.id, mid);
    if (unit.modes.length > 1 && mode === undefined) {
      notes.set(unit.id, `${origin}: the published schedule does not say which mode ${unit.id} ran`);
      continue;
    }
    const perMaterial = new Map<string, number>();
    for (const o of outputs) perMaterial.set(o.material, (perMaterial.get(o.material) ?? 0) + reading.yields.find((y) => y.unitId === plantUnit && y.streamId === o.stream)!.yieldRatio);
    const out = [...perMaterial].map(([material, y]) => ({ material, yield: Number(y.toFixed(6)) }));
    if (out.some((o) => !(o.yield >= 0 && o.yield <= 2))) {
      notes.set(unit.id, `${origin}: implausible yield of ${plantUnit} (${out.map((o) => `${o.material} ${o.yield}`).join(', ')})`);
      continue;
    }
    yields.push({ unit: unit.id, ...(mode !== undefined && { mode }), outputs: out, observedAt: reading.windowEnd, source: origin });
  }
  return { yields, notes };
}

/**
 * Largest relative change of a yield between two sets (by unit, mode and material); a yield in
 * one set only counts as a change of 100 %.
 */
export function largestYieldChange(before: readonly ReconciledYield[], after: readonly ReconciledYield[]): number {
  const index = (set: readonly ReconciledYield[]) => new Map(set.flatMap((y) => y.outputs.map((o) => [`${y.unit}/${y.mode ?? '*'}/${o.material}`, o.yield] as const)));
  const a = index(before);
  const b = index(after);
  let largest = 0;
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(key);
    const y = b.get(key);
    const change = x === undefined || y === undefined ? 1 : Math.abs(y - x) / Math.max(Math.abs(x), 1e-9);
    largest = Math.max(largest, change);
  }
  return largest;
}
