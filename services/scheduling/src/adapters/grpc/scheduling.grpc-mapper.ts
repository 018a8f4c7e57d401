import type { refluxSchedulingV1 as v1 } from '@reflux/proto';
import type { JobRecord, JobState } from '../../application/job-store.port';
import type { ReportedState } from '../../domain/replan';
import type { ScheduleResult } from '../../domain/schedule';
import type { ScheduleView } from '../postgres/schedule-read-model.queries';

type Timestamp = { seconds: string; nanos: number };

export const dateToTimestamp = (d: Date): Timestamp => ({ seconds: String(Math.floor(d.getTime() / 1000)), nanos: (((d.getTime() % 1000) + 1000) % 1000) * 1e6 });
export const isoToTimestamp = (iso: string): Timestamp => dateToTimestamp(new Date(iso));
export const timestampToDate = (t: Timestamp): Date | undefined => {
  const ms = Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6);
  return Number.isFinite(ms) ? new Date(ms) : undefined;
};

const JOB_STATES: Record<JobState, v1.JobState> = {
  queued: 'JOB_STATE_QUEUED' as v1.JobState,
  running: 'JOB_STATE_RUNNING' as v1.JobState,
  completed: 'JOB_STATE_COMPLETED' as v1.JobState,
  failed: 'JOB_STATE_FAILED' as v1.JobState,
  cancelled: 'JOB_STATE_CANCELLED' as v1.JobState,
  aborted: 'JOB_STATE_ABORTED' as v1.JobState,
};

const UNIT_STATES: Record<ReportedState, v1.UnitState> = {
  running: 'UNIT_STATE_RUNNING' as v1.UnitState,
  startup: 'UNIT_STATE_STARTUP' as v1.UnitState,
  shutdown: 'UNIT_STATE_SHUTDOWN' as v1.UnitState,
  maintenance: 'UNIT_STATE_MAINTENANCE' as v1.UnitState,
  tripped: 'UNIT_STATE_TRIPPED' as v1.UnitState,
};

export const unitStateToProto = (s: ReportedState): v1.UnitState => UNIT_STATES[s];
export const unitStateFromProto = (s: v1.UnitState): ReportedState | undefined => (Object.entries(UNIT_STATES) as [ReportedState, v1.UnitState][]).find(([, p]) => p === s)?.[0];

export function jobOf(j: JobRecord): v1.Job {
  return {
    jobId: j.jobId,
    plantId: j.plantId,
    state: JOB_STATES[j.state],
    trigger: j.trigger,
    phase: j.phase,
    createTime: dateToTimestamp(j.createdAt),
    startTime: j.startedAt ? dateToTimestamp(j.startedAt) : null,
    endTime: j.endedAt ? dateToTimestamp(j.endedAt) : null,
    solverStatus: j.solverStatus ?? '',
    ...(j.objective !== undefined && { objective: j.objective }),
    ...(j.gapPercent !== undefined && { gapPercent: j.gapPercent }),
    scheduleId: j.scheduleId ?? '',
    message: j.message ?? '',
    requestedBy: j.requestedBy,
    currency: j.currency ?? '',
  };
}

const sum = (values: Readonly<Record<string, number>>): number => Object.values(values).reduce((s, v) => s + v, 0);

export function scheduleOf(view: ScheduleView): v1.Schedule {
  const p = view.proposal;
  const r = p.result;
  const s = r.schedule!;
  const states: Record<ScheduleView['status'], v1.ScheduleState> = {
    proposed: 'SCHEDULE_STATE_PROPOSED' as v1.ScheduleState,
    published: 'SCHEDULE_STATE_PUBLISHED' as v1.ScheduleState,
    superseded: 'SCHEDULE_STATE_SUPERSEDED' as v1.ScheduleState,
  };
  return {
    scheduleId: p.scheduleId,
    plantId: view.plantId,
    state: states[view.status],
    reason: p.reason,
    jobId: p.jobId,
    horizonStartTime: isoToTimestamp(p.horizon.start),
    periods: p.horizon.periods,
    periodHours: p.horizon.periodHours,
    formulation: r.formulation,
    solverStatus: r.status,
    objective: r.objective ?? 0,
    ...(r.gapPercent !== undefined && { gapPercent: r.gapPercent }),
    currency: r.currency,
    energyCost: s.energyCost,
    co2T: s.co2T,
    costBreakdown: { ...(r.costBreakdown ?? {}) },
    units: s.units.map((u) => ({
      unitId: u.unit,
      periods: u.periods.map((q) => ({ period: q.period, startTime: isoToTimestamp(q.start), modeId: q.mode ?? '', throughputT: q.throughputT, changingOver: q.changingOver, available: q.available })),
    })),
    tanks: s.tanks.map((t) => ({ tankId: t.tank, levels: t.inventoryT.map((l) => ({ period: l.period, inventoryT: l.totalT })) })),
    energy: s.energy.map((e) => ({
      period: e.period,
      startTime: isoToTimestamp(e.start),
      powerPricePerMwh: e.powerPricePerMWh,
      powerImportMwh: e.powerImportMWh,
      powerExportMwh: e.powerExportMWh,
      powerGeneratedMwh: e.powerGeneratedMWh,
      fuelPurchasedMwh: sum(e.fuelPurchasedMWh),
      gasFlaredMwh: sum(e.gasFlaredMWh),
      boilerSteamT: sum(e.boilerSteamT),
    })),
    unavailableUnitIds: [...p.unavailableUnitIds],
    frozenPeriods: p.frozenPeriods,
    proposeTime: isoToTimestamp(p.proposedAt),
    publishTime: view.publishedAt ? dateToTimestamp(view.publishedAt) : null,
    publishedBy: view.publishedBy ?? '',
  };
}

export function explanationOf(result: ScheduleResult, scheduleId: string, jobId: string): v1.ExplainScheduleResponse {
  return {
    scheduleId,
    jobId,
    solverStatus: result.status,
    currency: result.currency,
    costBreakdown: { ...(result.costBreakdown ?? {}) },
    bindingConstraints: (result.bindingConstraints ?? []).map((b) => ({ constraint: b.constraint, meaning: b.meaning, shadowPrice: b.shadowPrice, unit: b.unit, activity: b.activity, limit: b.limit })),
    yieldSources: result.yieldSources.map((y) => ({ unitId: y.unit, modeId: y.mode, source: y.source, note: y.note ?? '', origin: y.origin ?? '', observedTime: y.observedAt ? isoToTimestamp(y.observedAt) : null })),
    relaxations: (result.infeasibility?.relaxations ?? []).map((x) => ({ constraint: x.constraint, meaning: x.meaning ?? '', bound: x.bound, limit: x.limit, violation: x.violation })),
    message: result.message ?? result.infeasibility?.message ?? '',
    resultJson: JSON.stringify(result),
  };
}
