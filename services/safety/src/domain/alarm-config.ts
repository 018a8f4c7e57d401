import type { TrendSettings } from './trend-watch';

/**
 * Alarm configuration of one plant: per-tag alarms and per-unit state rules. Limits, deadbands and
 * setpoints are in the tag's engineering unit (as ingestion stores it); times are in seconds.
 */

export const PRIORITIES = ['low', 'medium', 'high'] as const;
export type AlarmPriority = (typeof PRIORITIES)[number];

export const UNIT_STATES = ['running', 'startup', 'shutdown', 'maintenance', 'tripped'] as const;
export type UnitState = (typeof UNIT_STATES)[number];

/** The alarm conditions a tag can have; the alarm id is `<tagId>/<kind>`. */
export const ALARM_KINDS = ['HH', 'H', 'L', 'LL', 'ROC', 'DEV', 'BAD', 'DISC'] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];
export type LimitKind = 'HH' | 'H' | 'L' | 'LL';

export interface LimitAlarm {
  /** Limit in the tag's unit. */
  readonly value: number;
  readonly priority: AlarmPriority;
}

export interface TagAlarmConfig {
  readonly tagId: string;
  /** Plant area and operator console the alarm is annunciated on (KPIs are per area and console). */
  readonly area: string;
  readonly console: string;
  /** Process unit whose state governs state-based alarming. */
  readonly unitId?: string;
  /** Engineering unit of the tag (informative; limits are in it). */
  readonly engineeringUnit: string;
  readonly limits: Partial<Record<LimitKind, LimitAlarm>>;
  /** Hysteresis in the tag's unit: a high alarm clears at or below limit − deadband, a low one at or above limit + deadband. */
  readonly deadband: number;
  /** The condition must hold this long before the alarm is raised (s). */
  readonly onDelayS: number;
  /** The condition must be gone this long before the alarm clears (s). */
  readonly offDelayS: number;
  /** Rate of change above `maxPerS` (tag unit per second, either direction) between consecutive samples. */
  readonly rateOfChange?: { readonly maxPerS: number; readonly priority: AlarmPriority };
  /** |value − setpoint| above `max`; the setpoint is fixed or the latest value of `setpointTagId`. */
  readonly deviation?: { readonly setpoint?: number; readonly setpointTagId?: string; readonly max: number; readonly priority: AlarmPriority };
  /** OPC UA status code Bad on a sample. */
  readonly badQuality?: { readonly priority: AlarmPriority };
  /** |value − latest value of the redundant transmitter| above `max`. */
  readonly discrepancy?: { readonly redundantTagId: string; readonly max: number; readonly priority: AlarmPriority };
  /** Unit states in which every alarm of this tag is suppressed by design. */
  readonly suppressInStates: readonly UnitState[];
  /** Limits that replace the running limits in a unit state (e.g. a lower LL during start-up). */
  readonly limitsByState: Partial<Record<UnitState, Partial<Record<LimitKind, number>>>>;
  /** Trend prediction towards the limits in force (an early warning before the alarm; see `trend-watch.ts`). */
  readonly trend?: TrendSettings;
}

/** A run-status tag whose value maps to a state, or flows/speeds that must all be at or above a threshold. */
export type UnitStateRule =
  | { readonly kind: 'runStatus'; readonly tagId: string; readonly states: Readonly<Record<string, UnitState>>; readonly delayS: number }
  | { readonly kind: 'thresholds'; readonly signals: readonly { readonly tagId: string; readonly minRunning: number }[]; readonly delayS: number };

export interface UnitConfig {
  readonly unitId: string;
  readonly area: string;
  readonly rule: UnitStateRule;
}

export interface AlarmConfiguration {
  readonly plantId: string;
  /** IANA zone of the plant's local days (KPI reports); default UTC. */
  readonly timeZone?: string;
  readonly tags: readonly TagAlarmConfig[];
  readonly units: readonly UnitConfig[];
}

export const alarmIdOf = (tagId: string, kind: AlarmKind): string => `${tagId}/${kind}`;

/** The alarms a tag configuration defines, with their priorities. */
export function alarmsOfTag(tag: TagAlarmConfig): { kind: AlarmKind; priority: AlarmPriority }[] {
  const out: { kind: AlarmKind; priority: AlarmPriority }[] = [];
  for (const kind of ['HH', 'H', 'L', 'LL'] as const) {
    const limit = tag.limits[kind];
    if (limit) out.push({ kind, priority: limit.priority });
  }
  if (tag.rateOfChange) out.push({ kind: 'ROC', priority: tag.rateOfChange.priority });
  if (tag.deviation) out.push({ kind: 'DEV', priority: tag.deviation.priority });
  if (tag.badQuality) out.push({ kind: 'BAD', priority: tag.badQuality.priority });
  if (tag.discrepancy) out.push({ kind: 'DISC', priority: tag.discrepancy.priority });
  return out;
}
