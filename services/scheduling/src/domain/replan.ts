import { withEnergyPrices, type EnergyPrices } from './energy-prices';
import type { ProblemInput } from './problem.schema';
import type { ProposedSchedule } from './schedule-lifecycle.events';
import { targetDemands, type SiteTargets, type TargetPenalties } from './site-targets';

/** A demand as integrators send it: times, not periods. */
export interface OpenDemand {
  readonly id: string;
  readonly material: string;
  readonly quantityT: number;
  readonly dueAt: string;
  readonly releaseAt?: string;
  readonly priority: number;
  readonly latenessPenaltyPerTPerPeriod: number;
  readonly shortfallPenaltyPerT: number;
}

export type ReportedState = 'running' | 'startup' | 'shutdown' | 'maintenance' | 'tripped';

/** The last reported state of a unit or machine. */
export interface ReportedUnitState {
  readonly id: string;
  readonly state: ReportedState;
  readonly at: string;
  readonly expectedReturnAt?: string;
}

export interface ReplanSettings {
  /** Leading periods kept as published. */
  readonly frozenPeriods: number;
  /** Cost per t of throughput moved away from the published schedule, currency per t. */
  readonly changePenaltyPerT: number;
  /** Cost per unit-period running another mode than published (MILP), currency. */
  readonly modeChangePenalty: number;
  readonly timeLimitSeconds?: number;
  readonly mipGapPercent?: number;
  /** Penalties of supply-chain targets not met (default: 1000 per t short, 10 per t and period late). */
  readonly targetPenalties?: TargetPenalties;
}

export interface ReplanInput {
  /** The plant's production model (a problem document, not yet validated). */
  readonly model: ProblemInput;
  readonly now: Date;
  /** Replaces the model's demands when set. */
  readonly demands?: readonly OpenDemand[];
  readonly unitStates: readonly ReportedUnitState[];
  readonly published?: ProposedSchedule;
  /** Reconciled yields from the balancing service, added to the model's own. */
  readonly reconciledYields?: NonNullable<ProblemInput['reconciledYields']>;
  /** The supply-chain targets of the plant: demands added to the open ones (or the model's). */
  readonly siteTargets?: SiteTargets;
  /** The last energy prices set for the plant; replace the model's where given. */
  readonly energyPrices?: EnergyPrices;
  readonly settings: ReplanSettings;
}

export interface ReplanRequest {
  readonly problem: ProblemInput;
  readonly unavailableUnitIds: readonly string[];
  readonly frozenPeriods: number;
}

const HOUR_MS = 3_600_000;
const NOT_RUNNING: ReadonlySet<ReportedState> = new Set(['shutdown', 'maintenance', 'tripped']);

/** Production units (by id or by a machine in `equipment`) and energy equipment a reported id stops. */
export function unitsStoppedBy(model: ProblemInput, reportedId: string): string[] {
  const units = model.units.filter((u) => u.id === reportedId || (u.equipment ?? []).includes(reportedId)).map((u) => u.id);
  const e = model.energy;
  const energy = [...(e.boilers ?? []), ...(e.turbines ?? []), ...(e.letdowns ?? [])].filter((x) => x.id === reportedId).map((x) => x.id);
  return [...units, ...energy];
}

/**
 * The problem to solve now: the production model on a horizon starting at the current period,
 * with the open demands mapped to periods, units that are not running left out from their report
 * (until their expected return), and the published schedule as the plan to stay close to: its
 * first `frozenPeriods` kept (a stopped unit overrides the freeze), changes after that penalised.
 */
export function replanRequest(input: ReplanInput): ReplanRequest {
  const { model, settings } = input;
  const periodHours = model.horizon.periodHours ?? 1;
  const dt = periodHours * HOUR_MS;
  const T = model.horizon.periods;
  const startMs = Math.floor(input.now.getTime() / dt) * dt;
  const periodOf = (iso: string): number => Math.floor((Date.parse(iso) - startMs) / dt);
  const clamp = (t: number): number => Math.min(T - 1, Math.max(0, t));

  const toPeriods = (d: OpenDemand) => {
    const due = clamp(periodOf(d.dueAt));
    return {
      id: d.id,
      material: d.material,
      quantityT: d.quantityT,
      duePeriod: due,
      releasePeriod: d.releaseAt ? Math.min(due, clamp(periodOf(d.releaseAt))) : 0,
      priority: d.priority,
      latenessPenaltyPerTPerPeriod: d.latenessPenaltyPerTPerPeriod,
      shortfallPenaltyPerT: d.shortfallPenaltyPerT,
    };
  };
  // targets are planned when their supply-chain period overlaps the horizon
  const targets = input.siteTargets
    ? targetDemands(input.siteTargets, settings.targetPenalties ?? { shortfallPenaltyPerT: 1000, latenessPenaltyPerTPerPeriod: 10 }).filter((d) => periodOf(d.releaseAt!) < T && periodOf(d.dueAt) >= 0)
    : [];
  const open = input.demands?.map(toPeriods);
  const demands = targets.length > 0 ? [...(open ?? model.demands ?? []), ...targets.map(toPeriods)] : open;

  const unavailability = [...(model.unavailability ?? [])];
  const stopped = new Set<string>();
  for (const s of input.unitStates) {
    if (!NOT_RUNNING.has(s.state)) continue;
    const from = Math.max(0, periodOf(s.at));
    const to = s.expectedReturnAt ? Math.min(T, Math.ceil((Date.parse(s.expectedReturnAt) - startMs) / dt)) : T;
    if (to <= from || from >= T) continue;
    for (const unit of unitsStoppedBy(model, s.id)) {
      unavailability.push({ unit, fromPeriod: from, toPeriod: to, reason: `${s.state} (${s.id} at ${s.at})` });
      stopped.add(unit);
    }
  }

  let published: ProblemInput['published'];
  const frozenPeriods = input.published ? settings.frozenPeriods : 0;
  if (input.published?.result.schedule) {
    const offset = Math.round((startMs - Date.parse(input.published.horizon.start)) / dt);
    const units = new Map(model.units.map((u) => [u.id, new Set(u.modes.map((m) => m.id))]));
    const assignments = input.published.result.schedule.units.flatMap((u) =>
      u.periods
        .filter((p) => units.has(u.unit) && p.period - offset >= 0 && p.period - offset < T && (p.mode === null || units.get(u.unit)!.has(p.mode)))
        .map((p) => ({ unit: u.unit, period: p.period - offset, mode: p.mode, throughputT: p.throughputT })),
    );
    published = { scheduleId: input.published.scheduleId, assignments, frozenPeriods, changePenaltyPerT: settings.changePenaltyPerT, modeChangePenalty: settings.modeChangePenalty };
  }

  const units = input.published?.result.schedule ? carryRunningModes(model, input.published, startMs, stopped, unavailability) : model.units;
  const solve = { ...model.solve };
  if (settings.timeLimitSeconds) solve.timeLimitSeconds = settings.timeLimitSeconds;
  if (settings.mipGapPercent) solve.mipGapPercent = settings.mipGapPercent;
  const problem: ProblemInput = {
    ...model,
    horizon: { ...model.horizon, start: new Date(startMs).toISOString() },
    ...(demands && { demands }),
    unavailability,
    units,
    ...(published && { published }),
    ...(input.reconciledYields && input.reconciledYields.length > 0 && { reconciledYields: [...(model.reconciledYields ?? []), ...input.reconciledYields] }),
    energy: input.energyPrices ? withEnergyPrices(model.energy, input.energyPrices, startMs, dt, T) : model.energy,
    solve,
  };
  return { problem, unavailableUnitIds: [...stopped].sort(), frozenPeriods: published ? frozenPeriods : 0 };
}

/**
 * The mode each unit runs when the new horizon starts, from the published schedule: its mode in
 * the period before, and for how many periods it has run it (so a re-plan neither charges the
 * start-up again nor restarts the minimum run). A unit down at the start is idle; a unit changing
 * over, or a horizon that starts where the published one did, keeps the model's initial state.
 */
export function carryRunningModes(model: ProblemInput, published: ProposedSchedule, startMs: number, stopped: ReadonlySet<string>, unavailability: NonNullable<ProblemInput['unavailability']>): ProblemInput['units'] {
  const dt = published.horizon.periodHours * HOUR_MS;
  const before = Math.round((startMs - Date.parse(published.horizon.start)) / dt) - 1;
  const downAtStart = new Set(unavailability.filter((w) => stopped.has(w.unit) && w.fromPeriod === 0).map((w) => w.unit));
  return model.units.map((unit) => {
    if (downAtStart.has(unit.id)) return { ...unit, initialMode: null, initialRunPeriods: 0 };
    const periods = published.result.schedule?.units.find((u) => u.unit === unit.id)?.periods;
    const last = periods?.find((p) => p.period === before);
    if (!periods || !last || last.changingOver || (last.mode !== null && !unit.modes.some((m) => m.id === last.mode))) return unit;
    let run = 0;
    for (let t = before; t >= 0 && periods[t]?.mode === last.mode && !periods[t].changingOver; t--) run++;
    return { ...unit, initialMode: last.mode, initialRunPeriods: last.mode === null ? 0 : run };
  });
}
