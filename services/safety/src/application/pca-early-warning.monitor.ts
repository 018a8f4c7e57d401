import type { IntegrationEvent } from '@reflux/contracts';
import { StreamingScorer, type SampleScore, type ScorerState } from '@reflux/process-monitoring';
import type { Logger } from 'pino';
import type { AlarmConfiguration } from '../domain/alarm-config';
import { activeModels, type FittedMonitoringModel } from '../domain/monitoring-model.decider';
import { SampleGrid, type GridRow, type SampleGridState } from '../domain/sample-grid';
import { earlyWarningCleared, earlyWarningRaised } from './early-warning-events';
import type { EarlyWarningStateStore } from './early-warning-state.port';
import type { EarlyWarningMonitor, EvaluatedBatch } from './early-warning.port';
import type { MonitoringModelStore } from './monitoring-model.store';

const MONITOR = 'pca';

/** What a unit's monitor stores after each batch that moved it. */
interface UnitMonitorState {
  readonly version: number;
  readonly grid: SampleGridState;
  readonly scorer: ScorerState;
  readonly warning: boolean;
}

interface UnitMonitor {
  readonly fitted: FittedMonitoringModel;
  readonly area: string;
  readonly grid: SampleGrid;
  scorer: StreamingScorer;
  warning: boolean;
}

export interface PcaEarlyWarningDeps {
  readonly models: MonitoringModelStore;
  readonly state: EarlyWarningStateStore;
  readonly configurationOf: (plantId: string) => AlarmConfiguration | undefined;
  readonly source: string;
  readonly logger: Logger;
}

const warningIdOf = (unitId: string): string => `pca:${unitId}`;

/**
 * Multivariate early warning: each unit with an active monitoring model scores the grid rows of its
 * tags (`SampleGrid`, the model's period) with `StreamingScorer` while the unit runs (or has no state
 * rule); the model's persistence rule (e.g. 3 consecutive violations) raises `EarlyWarningRaised`
 * with T², SPE, their limits and the top contributing tags, and its end raises `EarlyWarningCleared`
 * (`returned-to-normal`; `unit-not-running` when the unit stops; `model-replaced` on activation of
 * another version). Grid, scorer and warning are stored with the events in one transaction.
 */
export class PcaEarlyWarning implements EarlyWarningMonitor {
  readonly name = 'pca';
  private readonly plants = new Map<string, Map<string, UnitMonitor>>();

  constructor(private readonly deps: PcaEarlyWarningDeps) {}

  async observe(batch: EvaluatedBatch): Promise<void> {
    const units = await this.unitsOf(batch.plantId);
    if (units.size === 0) return;
    const events: IntegrationEvent[] = [];
    const states: [string, UnitMonitorState][] = [];
    for (const [unitId, m] of units) {
      const rows: GridRow[] = [];
      for (const s of batch.samples) m.grid.push(s.tagId, s.timeMs, s.value, s.quality, rows);
      if (rows.length === 0) continue;
      const unitState = batch.unitStates.get(unitId);
      if (unitState !== undefined && unitState !== 'running' && unitState !== 'unknown') {
        if (m.warning) events.push(this.cleared(batch.plantId, unitId, m.area, rows[0]!.timeMs, 'unit-not-running'));
        m.warning = false;
        m.scorer = new StreamingScorer(m.fitted.model);
      } else {
        for (const row of rows) {
          const score = m.scorer.score(row.values);
          if (score.status !== 'scored') continue;
          if (score.raised) events.push(this.raised(batch.plantId, unitId, m, row.timeMs, score));
          if (score.cleared) events.push(this.cleared(batch.plantId, unitId, m.area, row.timeMs, 'returned-to-normal'));
          m.warning = score.warning;
        }
      }
      states.push([unitId, { version: m.fitted.version, grid: m.grid.state(), scorer: m.scorer.state(), warning: m.warning }]);
    }
    if (states.length === 0) return;
    try {
      await this.deps.state.commit(batch.plantId, MONITOR, states, events, batch.causation);
    } catch (error) {
      this.plants.delete(batch.plantId); // the next batch continues from the stored state
      throw error;
    }
  }

  /**
   * Re-reads the plant's active models after a registration or activation (call on the plant's
   * queue): a unit whose model version changed starts afresh, and a warning it had is cleared.
   */
  async reload(plantId: string, atMs: number): Promise<void> {
    // What was in force: the loaded monitors, or (no batch since the start) the stored states.
    const loaded = this.plants.get(plantId);
    const before = new Map<string, { version: number; warning: boolean }>();
    if (loaded) for (const [unitId, m] of loaded) before.set(unitId, { version: m.fitted.version, warning: m.warning });
    else for (const [unitId, saved] of await this.deps.state.load(plantId, MONITOR)) before.set(unitId, saved as UnitMonitorState);
    this.plants.delete(plantId);
    const after = await this.unitsOf(plantId);
    const events: IntegrationEvent[] = [];
    const states: [string, UnitMonitorState][] = [];
    for (const [unitId, old] of before) {
      const next = after.get(unitId);
      if (next?.fitted.version === old.version) continue;
      const area = this.deps.configurationOf(plantId)?.units.find((u) => u.unitId === unitId)?.area;
      if (old.warning && area !== undefined) events.push(this.cleared(plantId, unitId, area, atMs, 'model-replaced'));
      if (next) states.push([unitId, { version: next.fitted.version, grid: next.grid.state(), scorer: next.scorer.state(), warning: false }]);
    }
    if (events.length > 0 || states.length > 0) await this.deps.state.commit(plantId, MONITOR, states, events);
  }

  private async unitsOf(plantId: string): Promise<Map<string, UnitMonitor>> {
    const known = this.plants.get(plantId);
    if (known) return known;
    const config = this.deps.configurationOf(plantId);
    const units = new Map<string, UnitMonitor>();
    if (!config) return units;
    const [{ state }, stored] = await Promise.all([this.deps.models.load(plantId), this.deps.state.load(plantId, MONITOR)]);
    for (const fitted of activeModels(state)) {
      const area = config.units.find((u) => u.unitId === fitted.unitId)?.area;
      if (area === undefined) continue; // the unit left the alarm configuration
      const saved = stored.get(fitted.unitId) as UnitMonitorState | undefined;
      units.set(fitted.unitId, this.monitorOf(fitted, area, saved?.version === fitted.version ? saved : undefined));
    }
    this.plants.set(plantId, units);
    return units;
  }

  private monitorOf(fitted: FittedMonitoringModel, area: string, saved: UnitMonitorState | undefined): UnitMonitor {
    const grid = new SampleGrid(fitted.model.variables, fitted.grid.samplePeriodS * 1000, fitted.grid.maxHoldS * 1000, saved?.grid);
    try {
      return { fitted, area, grid, scorer: new StreamingScorer(fitted.model, saved?.scorer), warning: saved?.warning ?? false };
    } catch (error) {
      this.deps.logger.warn({ err: error, unitId: fitted.unitId, version: fitted.version }, 'stored scorer state does not fit the model; starting afresh');
      return { fitted, area, grid, scorer: new StreamingScorer(fitted.model), warning: false };
    }
  }

  private raised(plantId: string, unitId: string, m: UnitMonitor, atMs: number, score: Extract<SampleScore, { status: 'scored' }>): IntegrationEvent {
    const byName = new Map(score.contributions.map((c) => [c.variable, c]));
    const top = score.topContributors.map((tagId) => ({ tagId, t2: byName.get(tagId)!.t2, spe: byName.get(tagId)!.spe }));
    const { limits } = m.fitted.model;
    const exceeded = [score.t2Exceeded && `T² ${score.t2.toFixed(1)} > ${limits.t2.toFixed(1)}`, score.speExceeded && `SPE ${score.spe.toFixed(2)} > ${limits.spe.toFixed(2)}`].filter(Boolean).join(', ');
    return earlyWarningRaised(this.deps.source, {
      plantId,
      area: m.area,
      unitId,
      warningId: warningIdOf(unitId),
      kind: 'multivariate',
      raisedAt: new Date(atMs).toISOString(),
      message: `${unitId} left its normal-operation model v${m.fitted.version} (${exceeded}); top contributors ${top.map((c) => c.tagId).join(', ')}`,
      multivariate: { modelVersion: m.fitted.version, t2: score.t2, spe: score.spe, t2Limit: limits.t2, speLimit: limits.spe, topContributors: top },
    });
  }

  private cleared(plantId: string, unitId: string, area: string, atMs: number, reason: 'returned-to-normal' | 'unit-not-running' | 'model-replaced'): IntegrationEvent {
    return earlyWarningCleared(this.deps.source, { plantId, area, unitId, warningId: warningIdOf(unitId), kind: 'multivariate', clearedAt: new Date(atMs).toISOString(), reason });
  }
}
