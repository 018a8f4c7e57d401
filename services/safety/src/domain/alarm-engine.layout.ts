import { ALARM_KINDS, alarmIdOf, alarmsOfTag, type AlarmConfiguration, type AlarmKind, type AlarmPriority, type LimitKind, type UnitState } from './alarm-config';

/** One configured alarm condition, by its index in the engine's arrays. */
export interface AlarmDefinition {
  readonly index: number;
  readonly alarmId: string;
  readonly tagId: string;
  readonly kind: AlarmKind;
  readonly priority: AlarmPriority;
  readonly area: string;
  readonly console: string;
  readonly unitId?: string;
}

export const KIND_CODE: Readonly<Record<AlarmKind, number>> = { HH: 0, H: 1, L: 2, LL: 3, ROC: 4, DEV: 5, BAD: 6, DISC: 7 };

/**
 * The configuration compiled into flat arrays: tags (alarm tags, and tags other alarms or unit rules
 * read) by index, each tag's conditions as a contiguous range (`condStart[t]..condStart[t+1]`).
 */
export interface EngineLayout {
  readonly tagIds: readonly string[];
  readonly tagIndex: ReadonlyMap<string, number>;
  readonly condStart: Int32Array;
  /** Tag index of each condition. */
  readonly tagOfCond: Int32Array;
  readonly alarms: readonly AlarmDefinition[];
  readonly kind: Uint8Array;
  /** Limit (HH/H/L/LL) or maximum (ROC, DEV, DISC) while running; per state in `limitByState`. */
  readonly baseLimit: Float64Array;
  readonly limitByState: ReadonlyMap<number, Partial<Record<UnitState, number>>>;
  readonly deadband: Float64Array;
  readonly onDelayMs: Float64Array;
  readonly offDelayMs: Float64Array;
  /** DEV: fixed setpoint (NaN when read from a tag); DISC/DEV: index of the other tag or -1. */
  readonly setpoint: Float64Array;
  readonly otherTag: Int32Array;
  /** Unit index of each condition's tag, -1 when none. */
  readonly unitOfCond: Int32Array;
  readonly unitIds: readonly string[];
}

export function compileLayout(config: AlarmConfiguration): EngineLayout {
  const tagIds: string[] = [];
  const tagIndex = new Map<string, number>();
  const intern = (id: string) => {
    let i = tagIndex.get(id);
    if (i === undefined) {
      i = tagIds.length;
      tagIds.push(id);
      tagIndex.set(id, i);
    }
    return i;
  };
  for (const tag of config.tags) intern(tag.tagId);
  const unitIds = config.units.map((u) => u.unitId);
  const unitIdx = new Map(unitIds.map((u, i) => [u, i]));

  const perTag: AlarmDefinition[][] = tagIds.map(() => []);
  const extra = new Map<AlarmDefinition, { limit: number; setpoint: number; other: string | undefined; byState: Partial<Record<UnitState, number>> }>();
  for (const tag of config.tags) {
    const t = tagIndex.get(tag.tagId)!;
    for (const { kind, priority } of alarmsOfTag(tag)) {
      const def: AlarmDefinition = { index: -1, alarmId: alarmIdOf(tag.tagId, kind), tagId: tag.tagId, kind, priority, area: tag.area, console: tag.console, ...(tag.unitId !== undefined && { unitId: tag.unitId }) };
      let limit = Number.NaN;
      let setpoint = Number.NaN;
      let other: string | undefined;
      const byState: Partial<Record<UnitState, number>> = {};
      if (kind === 'HH' || kind === 'H' || kind === 'L' || kind === 'LL') {
        limit = tag.limits[kind as LimitKind]!.value;
        for (const [state, overrides] of Object.entries(tag.limitsByState)) {
          const v = overrides?.[kind as LimitKind];
          if (v !== undefined) byState[state as UnitState] = v;
        }
      } else if (kind === 'ROC') limit = tag.rateOfChange!.maxPerS;
      else if (kind === 'DEV') {
        limit = tag.deviation!.max;
        setpoint = tag.deviation!.setpoint ?? Number.NaN;
        other = tag.deviation!.setpointTagId;
      } else if (kind === 'DISC') {
        limit = tag.discrepancy!.max;
        other = tag.discrepancy!.redundantTagId;
      }
      perTag[t].push(def);
      extra.set(def, { limit, setpoint, other, byState });
    }
  }
  // Tags read by other alarms or by unit rules are tracked too (after the alarm tags).
  for (const e of extra.values()) if (e.other !== undefined) intern(e.other);
  for (const u of config.units) {
    if (u.rule.kind === 'runStatus') intern(u.rule.tagId);
    else for (const s of u.rule.signals) intern(s.tagId);
  }
  while (perTag.length < tagIds.length) perTag.push([]);

  const n = perTag.reduce((sum, defs) => sum + defs.length, 0);
  const condStart = new Int32Array(tagIds.length + 1);
  const alarms: AlarmDefinition[] = [];
  const kind = new Uint8Array(n);
  const baseLimit = new Float64Array(n);
  const deadband = new Float64Array(n);
  const onDelayMs = new Float64Array(n);
  const offDelayMs = new Float64Array(n);
  const setpoint = new Float64Array(n);
  const otherTag = new Int32Array(n).fill(-1);
  const unitOfCond = new Int32Array(n).fill(-1);
  const tagOfCond = new Int32Array(n);
  const limitByState = new Map<number, Partial<Record<UnitState, number>>>();
  const tagConfig = new Map(config.tags.map((t) => [t.tagId, t]));
  let c = 0;
  for (let t = 0; t < tagIds.length; t++) {
    condStart[t] = c;
    const tag = tagConfig.get(tagIds[t]);
    for (const def of perTag[t]) {
      const e = extra.get(def)!;
      alarms.push({ ...def, index: c });
      tagOfCond[c] = t;
      kind[c] = KIND_CODE[def.kind];
      baseLimit[c] = e.limit;
      deadband[c] = def.kind === 'ROC' || def.kind === 'BAD' ? 0 : tag!.deadband;
      onDelayMs[c] = tag!.onDelayS * 1000;
      offDelayMs[c] = tag!.offDelayS * 1000;
      setpoint[c] = e.setpoint;
      if (e.other !== undefined) otherTag[c] = tagIndex.get(e.other)!;
      if (tag!.unitId !== undefined) unitOfCond[c] = unitIdx.get(tag!.unitId)!;
      if (Object.keys(e.byState).length > 0) limitByState.set(c, e.byState);
      c++;
    }
  }
  condStart[tagIds.length] = c;
  return { tagIds, tagIndex, condStart, tagOfCond, alarms, kind, baseLimit, limitByState, deadband, onDelayMs, offDelayMs, setpoint, otherTag, unitOfCond, unitIds };
}

export const kindOfCode = (code: number): AlarmKind => ALARM_KINDS[code];
