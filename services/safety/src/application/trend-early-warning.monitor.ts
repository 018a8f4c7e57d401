import type { IntegrationEvent } from '@reflux/contracts';
import type { AlarmConfiguration, LimitKind, TagAlarmConfig, UnitState } from '../domain/alarm-config';
import { TrendWatch, type TrendDecision, type TrendWatchState } from '../domain/trend-watch';
import { earlyWarningCleared, earlyWarningRaised } from './early-warning-events';
import type { EarlyWarningStateStore } from './early-warning-state.port';
import type { EarlyWarningMonitor, EvaluatedBatch } from './early-warning.port';
import { isBadQuality } from '../domain/alarm-engine';

const MONITOR = 'trend';

interface PlantWatches {
  readonly config: AlarmConfiguration;
  readonly watches: Map<string, { readonly tag: TagAlarmConfig; readonly watch: TrendWatch }>;
}

export interface TrendEarlyWarningDeps {
  readonly state: EarlyWarningStateStore;
  readonly configurationOf: (plantId: string) => AlarmConfiguration | undefined;
  readonly source: string;
}

/** The limits in force for a tag in its unit's state (running limits replaced per state), or none while it is suppressed. */
function limitsInForce(tag: TagAlarmConfig, state: UnitState | 'unknown' | undefined): Partial<Record<LimitKind, number>> | undefined {
  if (state !== undefined && state !== 'unknown' && tag.suppressInStates.includes(state)) return undefined;
  const out: Partial<Record<LimitKind, number>> = {};
  for (const kind of ['HH', 'H', 'L', 'LL'] as const) {
    const limit = tag.limits[kind];
    if (limit) out[kind] = (state !== undefined && state !== 'unknown' ? tag.limitsByState[state]?.[kind] : undefined) ?? limit.value;
  }
  return out;
}

/**
 * Trend prediction per tag: every tag configured with `trend` has a `TrendWatch` fed with its good
 * samples; a predicted crossing of an alarm limit in force raises `EarlyWarningRaised` (kind `trend`,
 * "TI-101 will reach HH in about 12 min (between 9 and 16 min)"), its end `EarlyWarningCleared`
 * (`returned-to-normal`, `limit-reached`, or `unit-not-running` while the tag's alarms are
 * suppressed in its unit's state). The warning in force per tag is stored with the events; the
 * regression windows live in memory and refill from live samples after a restart.
 */
export class TrendEarlyWarning implements EarlyWarningMonitor {
  readonly name = 'trend';
  private readonly plants = new Map<string, PlantWatches>();

  constructor(private readonly deps: TrendEarlyWarningDeps) {}

  async observe(batch: EvaluatedBatch): Promise<void> {
    const plant = await this.watchesOf(batch.plantId);
    if (!plant || plant.watches.size === 0) return;
    const events: IntegrationEvent[] = [];
    const changed = new Map<string, TrendWatchState>();
    for (const s of batch.samples) {
      const entry = plant.watches.get(s.tagId);
      if (!entry || isBadQuality(s.quality)) continue;
      const { tag, watch } = entry;
      const limits = limitsInForce(tag, tag.unitId === undefined ? undefined : batch.unitStates.get(tag.unitId));
      if (limits === undefined) {
        const active = watch.state.active;
        watch.reset();
        if (active) {
          events.push(this.cleared(batch.plantId, tag, active.limitKind, s.timeMs, 'unit-not-running'));
          changed.set(tag.tagId, watch.state);
        }
        continue;
      }
      const decisions = watch.push(s.timeMs, s.value, limits);
      for (const d of decisions) events.push(this.event(batch.plantId, tag, d));
      if (decisions.length > 0) changed.set(tag.tagId, watch.state);
    }
    if (changed.size === 0) return;
    try {
      await this.deps.state.commit(batch.plantId, MONITOR, [...changed], events, batch.causation);
    } catch (error) {
      this.plants.delete(batch.plantId);
      throw error;
    }
  }

  private base(plantId: string, tag: TagAlarmConfig, limitKind: LimitKind) {
    return { plantId, area: tag.area, ...(tag.unitId !== undefined && { unitId: tag.unitId }), warningId: `trend:${tag.tagId}/${limitKind}`, kind: 'trend' as const };
  }

  private cleared(plantId: string, tag: TagAlarmConfig, limitKind: LimitKind, atMs: number, reason: 'returned-to-normal' | 'limit-reached' | 'unit-not-running'): IntegrationEvent {
    return earlyWarningCleared(this.deps.source, { ...this.base(plantId, tag, limitKind), clearedAt: new Date(atMs).toISOString(), reason });
  }

  private event(plantId: string, tag: TagAlarmConfig, d: TrendDecision): IntegrationEvent {
    if (d.type === 'clear') return this.cleared(plantId, tag, d.limitKind, d.atMs, d.reason);
    const base = this.base(plantId, tag, d.limitKind);
    const p = d.prediction;
    return earlyWarningRaised(this.deps.source, {
      ...base,
      raisedAt: new Date(d.atMs).toISOString(),
      message: d.message,
      trend: {
        tagId: tag.tagId,
        limitKind: d.limitKind,
        limit: d.limit,
        value: d.value,
        slopePerSecond: p.slopePerSecond,
        estimatedSeconds: p.estimate_s ?? 0,
        earliestSeconds: p.earliest_s ?? 0,
        ...(p.latest_s !== null && { latestSeconds: p.latest_s }),
      },
    });
  }

  /** The plant's watches, rebuilt when its alarm configuration changed (the warnings in force are kept). */
  private async watchesOf(plantId: string): Promise<PlantWatches | undefined> {
    const config = this.deps.configurationOf(plantId);
    if (!config) return undefined;
    const known = this.plants.get(plantId);
    if (known?.config === config) return known;
    const stored = known ? new Map([...known.watches].map(([id, w]) => [id, w.watch.state as unknown])) : await this.deps.state.load(plantId, MONITOR);
    const watches = new Map<string, { tag: TagAlarmConfig; watch: TrendWatch }>();
    for (const tag of config.tags)
      if (tag.trend) watches.set(tag.tagId, { tag, watch: new TrendWatch(tag.tagId, tag.trend, stored.get(tag.tagId) as TrendWatchState | undefined) });
    const plant = { config, watches };
    this.plants.set(plantId, plant);
    return plant;
  }
}
