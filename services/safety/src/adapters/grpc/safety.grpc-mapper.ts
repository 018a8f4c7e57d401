import type { refluxSafetyV1 as v1 } from '@reflux/proto';
import type { AlarmPriority, UnitState } from '../../domain/alarm-config';
import type { AlarmKpis } from '../../domain/alarm-kpis';
import { KPI_TARGETS } from '../../domain/alarm-kpis';
import type { AlarmStatus } from '../../domain/alarm-lifecycle.decider';
import type { AlarmView } from '../../application/plant-safety';
import type { JournalRow } from '../postgres/alarm-read-model.queries';

type Timestamp = { seconds: string; nanos: number };

export const dateToTimestamp = (d: Date): Timestamp => ({ seconds: String(Math.floor(d.getTime() / 1000)), nanos: (d.getTime() % 1000) * 1e6 });
export const isoToTimestamp = (iso: string): Timestamp => dateToTimestamp(new Date(iso));
export const timestampToDate = (t: Timestamp): Date | undefined => {
  const ms = Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6);
  return Number.isFinite(ms) ? new Date(ms) : undefined;
};

const STATUS: Record<AlarmStatus, v1.AlarmStatus> = {
  normal: 'ALARM_STATUS_NORMAL' as v1.AlarmStatus,
  unacknowledgedActive: 'ALARM_STATUS_UNACKNOWLEDGED_ACTIVE' as v1.AlarmStatus,
  acknowledgedActive: 'ALARM_STATUS_ACKNOWLEDGED_ACTIVE' as v1.AlarmStatus,
  unacknowledgedReturnToNormal: 'ALARM_STATUS_UNACKNOWLEDGED_RETURN_TO_NORMAL' as v1.AlarmStatus,
  shelved: 'ALARM_STATUS_SHELVED' as v1.AlarmStatus,
  suppressedByDesign: 'ALARM_STATUS_SUPPRESSED_BY_DESIGN' as v1.AlarmStatus,
  outOfService: 'ALARM_STATUS_OUT_OF_SERVICE' as v1.AlarmStatus,
};
export const statusToProto = (s: AlarmStatus): v1.AlarmStatus => STATUS[s];
export const statusFromProto = (s: v1.AlarmStatus): AlarmStatus | undefined => (Object.keys(STATUS) as AlarmStatus[]).find((k) => STATUS[k] === s);

export const priorityToProto = (p: AlarmPriority | null | undefined): v1.AlarmPriority => (p ? (`ALARM_PRIORITY_${p.toUpperCase()}` as v1.AlarmPriority) : ('ALARM_PRIORITY_UNSPECIFIED' as v1.AlarmPriority));
export const priorityFromProto = (p: v1.AlarmPriority): AlarmPriority | undefined =>
  (({ ALARM_PRIORITY_LOW: 'low', ALARM_PRIORITY_MEDIUM: 'medium', ALARM_PRIORITY_HIGH: 'high' }) as Record<string, AlarmPriority>)[p as string];
export const unitStateToProto = (s: UnitState | 'unknown'): v1.UnitState => (s === 'unknown' ? 'UNIT_STATE_UNSPECIFIED' : `UNIT_STATE_${s.toUpperCase()}`) as v1.UnitState;

export function alarmOf(plantId: string, view: AlarmView): v1.Alarm {
  const s = view.state;
  const id = s.identity;
  const kind = id?.kind ?? view.alarmId.slice(view.alarmId.lastIndexOf('/') + 1);
  return {
    plantId,
    alarmId: view.alarmId,
    tagId: id?.tagId ?? view.alarmId.slice(0, view.alarmId.lastIndexOf('/')),
    kind,
    priority: priorityToProto(id?.priority),
    area: id?.area ?? '',
    console: id?.console ?? '',
    status: statusToProto(view.status),
    conditionActive: s.conditionActive,
    acknowledged: s.acknowledged,
    raisedTime: s.lastRaisedAt ? isoToTimestamp(s.lastRaisedAt) : null,
    ...(Number.isFinite(s.lastValue) && { value: s.lastValue }),
    ...(s.lastLimit !== undefined && { limit: s.lastLimit }),
    shelfExpiryTime: s.shelf ? isoToTimestamp(s.shelf.expiresAt) : null,
    shelvedBy: s.shelf?.by ?? '',
    shelfReason: s.shelf?.reason ?? '',
    updateTime: s.updatedAt ? isoToTimestamp(s.updatedAt) : null,
  };
}

export function journalEntryOf(r: JournalRow): v1.JournalEntry {
  return {
    position: String(r.position),
    alarmId: r.alarmId,
    eventType: r.eventType,
    time: dateToTimestamp(r.at),
    actor: r.actor,
    reason: r.reason,
    ...(r.value !== null && { value: r.value }),
    text: r.text,
    priority: priorityToProto(r.priority),
    area: r.area ?? '',
    console: r.console ?? '',
  };
}

export function kpisOf(k: AlarmKpis): v1.AlarmKpis {
  return {
    key: k.key,
    activations: k.activations,
    alarmsPerTenMin: k.alarmsPer10Min,
    alarmsPerHour: k.alarmsPerHour,
    alarmsPerDay: k.alarmsPerDay,
    peakAlarmsPerTenMin: k.peakAlarmsPer10Min,
    floodIntervals: k.floodIntervals,
    floodTimeS: k.floodTimeS,
    floodTimeRatio: k.floodTimeShare,
    chatteringAlarmIds: [...k.chatteringAlarms],
    staleAlarmIds: [...k.staleAlarms],
    topBadActors: k.topBadActors.map((b) => ({ alarmId: b.alarmId, activations: b.activations, shareRatio: b.share })),
    topTenShareRatio: k.topTenShare,
    priorityShare: { lowRatio: k.priorityShare.low, mediumRatio: k.priorityShare.medium, highRatio: k.priorityShare.high },
  };
}

export const KPI_TARGETS_PROTO: v1.KpiTargets = {
  alarmsPerTenMin: KPI_TARGETS.alarmsPer10Min,
  alarmsPerHour: KPI_TARGETS.alarmsPerHour,
  alarmsPerDay: KPI_TARGETS.alarmsPerDay,
  peakAlarmsPerTenMin: KPI_TARGETS.peakAlarmsPer10Min,
  floodTimeRatio: KPI_TARGETS.floodTimeShare,
  topTenShareRatio: KPI_TARGETS.topTenShare,
  chatteringAlarms: KPI_TARGETS.chatteringAlarms,
  staleAlarms: KPI_TARGETS.staleAlarms,
  priorityShare: { lowRatio: KPI_TARGETS.priorityShare.low, mediumRatio: KPI_TARGETS.priorityShare.medium, highRatio: KPI_TARGETS.priorityShare.high },
};
