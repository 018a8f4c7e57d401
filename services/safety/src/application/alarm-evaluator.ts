import { integrationEvents, type IntegrationEvent } from '@reflux/contracts';
import type { EventStore } from '@reflux/event-store';
import type { Logger } from 'pino';
import type { PoolClient } from 'pg';
import type { AlarmConfiguration, TagAlarmConfig, UnitState } from '../domain/alarm-config';
import { AlarmEngine, SampleOutcome } from '../domain/alarm-engine';
import type { AlarmDefinition } from '../domain/alarm-engine.layout';
import type { AlarmCommand } from '../domain/alarm-lifecycle.events';
import { deterministicUuid } from '@reflux/decider';
import type { UnitTransition } from '../domain/unit-state.tracker';
import type { AlarmLedger, LedgerCommand } from './alarm-ledger';
import type { EarlyWarningMonitor } from './early-warning.port';
import type { EvaluationStateStore } from './evaluation-state.port';
import type { EventCausation, Outbox } from './outbox.port';
import type { RawSample, SampleHistory } from './sample-history.port';
import type { SerialQueue } from './serial-queue';
import { unitStreamId, unitStreamPrefix, type UnitStateChangedEvent } from './unit-state.events';

export interface AlarmEvaluatorDeps {
  readonly plantId: string;
  readonly config: AlarmConfiguration;
  readonly store: EventStore;
  readonly outbox: Outbox;
  readonly ledger: AlarmLedger;
  readonly history: SampleHistory;
  readonly state: EvaluationStateStore;
  readonly queue: SerialQueue;
  readonly logger: Logger;
  readonly source: string;
  /** Early-warning models handed each committed batch (none in this service yet). */
  readonly earlyWarning?: readonly EarlyWarningMonitor[];
}

const SYSTEM = 'system';

/**
 * Runs the alarm engine of one plant: reads the samples a `MeasurementsIngested` batch names,
 * evaluates them in time order, and turns condition and unit-state changes into lifecycle commands.
 * Alarm events, unit events, integration events, the engine state of the touched tags and the
 * batch's processed marker commit in one transaction; if it fails, the engine is rolled back, so a
 * redelivered batch is evaluated again from the same state (nothing lost, nothing twice).
 */
export class AlarmEvaluator {
  readonly engine: AlarmEngine;
  private readonly tagConfig: ReadonlyMap<string, TagAlarmConfig>;
  private readonly unitArea: ReadonlyMap<string, string>;
  private readonly unitChangedAt: (string | undefined)[];
  /**
   * Per tag, the `MeasurementsIngested` that last carried its samples: the cause of what a timer tick
   * completes on a quiet tag (an on-delay, a unit's state delay), decided on those samples.
   */
  private readonly lastCause = new Map<string, { readonly cause: EventCausation; readonly batch: number }>();
  private batches = 0;
  private readonly tagOfAlarm: ReadonlyMap<string, string>;
  private readonly signalsOfUnit: ReadonlyMap<string, readonly string[]>;

  constructor(private readonly deps: AlarmEvaluatorDeps) {
    this.engine = new AlarmEngine(deps.config);
    this.tagConfig = new Map(deps.config.tags.map((t) => [t.tagId, t]));
    this.unitArea = new Map(deps.config.units.map((u) => [u.unitId, u.area]));
    this.unitChangedAt = deps.config.units.map(() => undefined);
    this.tagOfAlarm = new Map(this.engine.alarms.map((a) => [a.alarmId, a.tagId]));
    this.signalsOfUnit = new Map(deps.config.units.map((u) => [u.unitId, u.rule.kind === 'runStatus' ? [u.rule.tagId] : u.rule.signals.map((s) => s.tagId)]));
  }

  /** The latest batch that carried samples of any of `tagIds` (undefined: none since the start). */
  private causeOfTags(tagIds: readonly string[]): EventCausation | undefined {
    let best: { readonly cause: EventCausation; readonly batch: number } | undefined;
    for (const tagId of tagIds) {
      const c = this.lastCause.get(tagId);
      if (c && (!best || c.batch > best.batch)) best = c;
    }
    return best?.cause;
  }

  /** Restores the engine (tag states, unit states) from what was committed before. */
  async restore(): Promise<void> {
    const saved = await this.deps.state.loadTagStates(this.deps.plantId);
    for (const [tagId, s] of saved) {
      const t = this.engine.tagIndex(tagId);
      if (t >= 0) this.engine.importTag(t, s);
    }
    const units = await this.deps.store.readAll({ category: unitStreamPrefix(this.deps.plantId), eventTypes: ['UnitStateChanged'] });
    for (const e of units) {
      const d = (e as unknown as UnitStateChangedEvent).data;
      const u = this.engine.layout.unitIds.indexOf(d.unitId);
      if (u < 0) continue;
      this.engine.units.restore(u, d.to);
      this.engine.applyUnitState(u, d.to);
      this.unitChangedAt[u] = d.at;
    }
  }

  /** Tags this engine evaluates among `tagIds`. */
  trackedTags(tagIds: readonly string[]): string[] {
    return tagIds.filter((id) => this.engine.tagIndex(id) >= 0);
  }

  unitStates(): { unitId: string; area: string; state: UnitState | 'unknown'; changedAt?: string }[] {
    return this.engine.layout.unitIds.map((unitId, u) => ({ unitId, area: this.unitArea.get(unitId)!, state: this.engine.units.state[u], changedAt: this.unitChangedAt[u] }));
  }

  /** Reads and evaluates the samples of one ingested batch; `batchKey` is its integration event id. */
  async onBatch(batchKey: string, tagIds: readonly string[], fromMs: number, toMs: number, correlationId?: string, signal?: AbortSignal): Promise<number> {
    const tags = this.trackedTags(tagIds);
    if (tags.length === 0) return 0;
    const deliveredAtMs = Date.now();
    const samples = await this.deps.history.readRaw(tags, fromMs, toMs, signal);
    const readAtMs = Date.now();
    const appended = await this.deps.queue.run(() => this.evaluate(batchKey, samples, correlationId));
    // stage times of the live path (bench/safety breaks its latency down with them)
    this.deps.logger.debug({ batchKey, tags: tags.length, firstTag: tags[0], deliveredAtMs, readAtMs, evaluatedAtMs: Date.now(), appended }, 'batch evaluated');
    return appended;
  }

  /**
   * Evaluates samples (any order) as one batch. Returns the number of lifecycle events appended.
   * `batchKey` is the id of the `MeasurementsIngested` event whose samples these are: every event the
   * evaluation emits names it as its cause and carries its correlation id on.
   */
  async evaluate(batchKey: string, samples: readonly RawSample[], correlationId?: string): Promise<number> {
    const cause: EventCausation = { causationId: batchKey, correlationId: correlationId ?? batchKey };
    const engine = this.engine;
    const sorted = [...samples].sort((a, b) => a.timeMs - b.timeMs);
    const touched = new Set<number>();
    for (const s of sorted) {
      const t = engine.tagIndex(s.tagId);
      if (t >= 0) touched.add(t);
    }
    const checkpoint = engine.checkpoint(touched);
    const evaluated: RawSample[] = [];
    for (const s of sorted) if (engine.evaluate(engine.tagIndex(s.tagId), s.timeMs, s.value, s.quality) === SampleOutcome.Evaluated) evaluated.push(s);
    const appended = await this.commit(batchKey, touched, checkpoint, cause);
    if (appended !== undefined) {
      const batch = ++this.batches;
      for (const t of touched) this.lastCause.set(engine.layout.tagIds[t], { cause, batch });
      await this.handToMonitors(batchKey, evaluated, cause);
    }
    return appended ?? 0;
  }

  private async handToMonitors(batchKey: string, samples: readonly RawSample[], causation: EventCausation): Promise<void> {
    const monitors = this.deps.earlyWarning ?? [];
    if (monitors.length === 0 || samples.length === 0) return;
    const unitStates = new Map(this.engine.layout.unitIds.map((id, u) => [id, this.engine.units.state[u]] as const));
    for (const monitor of monitors)
      await monitor.observe({ plantId: this.deps.plantId, batchKey, samples, unitStates, causation }).catch((error: unknown) => this.deps.logger.error({ err: error, monitor: monitor.name, batchKey }, 'early-warning model failed'));
  }

  /**
   * Completes delays that ran out by `dataTimeMs` on quiet tags and expires shelves due by `nowMs`
   * (called by a timer; serialised with the batches).
   */
  tick(dataTimeMs: number, nowMs: number): Promise<number> {
    return this.deps.queue.run(async () => {
      const engine = this.engine;
      const all = Array.from({ length: engine.layout.tagIds.length }, (_, t) => t);
      const checkpoint = engine.checkpoint(all);
      engine.advanceTo(dataTimeMs);
      const expiries: LedgerCommand[] = [];
      for (const [alarmId, { state }] of this.deps.ledger.known())
        if (state.shelf && Date.parse(state.shelf.expiresAt) <= nowMs)
          expiries.push({ alarmId, eventKey: `expire:${state.shelf.expiresAt}`, command: { type: 'ExpireShelf', data: { alarmId, at: new Date(nowMs).toISOString(), by: SYSTEM, reason: 'shelf expired' } } });
      if (engine.transitions.count === 0 && engine.unitTransitions.length === 0 && expiries.length === 0) return 0;
      const changed = new Set<number>();
      for (let i = 0; i < engine.transitions.count; i++) changed.add(engine.layout.tagOfCond[engine.transitions.alarm[i]]);
      return (await this.commit(`tick:${dataTimeMs}:${nowMs}`, changed, checkpoint, undefined, expiries, true)) ?? 0;
    });
  }

  /**
   * Commits what the engine found; undefined when the batch had been processed before. `cause`: the
   * batch's event. A timer tick (`timer`) decides on samples of earlier batches: each alarm and unit
   * it changes names the batch that last carried its tags (none after a restart until a batch came).
   */
  private async commit(batchKey: string, touched: ReadonlySet<number>, checkpoint: ReturnType<AlarmEngine['checkpoint']>, cause?: EventCausation, extra: readonly LedgerCommand[] = [], timer = false): Promise<number | undefined> {
    const engine = this.engine;
    const commands = [...this.commandsOfTransitions(batchKey), ...extra];
    const unitChanges = [...engine.unitTransitions];
    engine.transitions.clear();
    engine.unitTransitions.length = 0;
    const plantId = this.deps.plantId;
    try {
      const staged = await this.deps.store.withTransaction(async (tx) => {
        if (!(await this.deps.state.markProcessed(tx, plantId, batchKey))) return undefined;
        const metadata = { correlationId: cause?.correlationId ?? batchKey, ...(cause?.causationId !== undefined && { causationId: cause.causationId }), actor: SYSTEM };
        // A tick decides on samples of earlier batches: each alarm and unit names the batch that last carried its tags.
        const decided = new Set(commands.filter((c) => c.command.type !== 'ExpireShelf').map((c) => c.alarmId)); // an expired shelf is the timer's own
        const causeOfAlarm = timer ? (alarmId: string) => (decided.has(alarmId) ? this.causeOfTags([this.tagOfAlarm.get(alarmId) ?? '']) : undefined) : undefined;
        const result = await this.deps.ledger.stage(tx, commands, metadata, new Date(), causeOfAlarm);
        await this.appendUnitChanges(tx, unitChanges, batchKey, cause, timer);
        await this.deps.state.saveTagStates(tx, plantId, [...touched].map((t) => [engine.layout.tagIds[t], engine.exportTag(t)] as const));
        return result;
      });
      if (!staged) {
        // Already processed before a restart or by a redelivery: the state committed then stands.
        engine.rollback(checkpoint);
        return undefined;
      }
      this.deps.ledger.commit(staged);
      for (const u of unitChanges) this.unitChangedAt[u.unitIndex] = new Date(u.atMs).toISOString();
      return staged.events.length;
    } catch (error) {
      engine.rollback(checkpoint);
      throw error;
    }
  }

  /** Condition changes and unit-state suppressions as lifecycle commands, in time order (unit changes first at equal times). */
  private commandsOfTransitions(batchKey: string): LedgerCommand[] {
    const engine = this.engine;
    const b = engine.transitions;
    const timed: { atMs: number; order: number; command: LedgerCommand }[] = [];
    for (let i = 0; i < b.count; i++) {
      const def = engine.alarms[b.alarm[i]];
      const active = b.active[i] === 1;
      const at = new Date(b.atMs[i]).toISOString();
      const identity = { alarmId: def.alarmId, tagId: def.tagId, kind: def.kind, priority: def.priority, area: def.area, console: def.console };
      const limit = b.limit[i];
      const command: AlarmCommand = active
        ? { type: 'ActivateCondition', data: { ...identity, at, by: SYSTEM, reason: reasonOf(def, true, limit), value: b.value[i], ...(Number.isFinite(limit) && { limit }) } }
        : { type: 'ClearCondition', data: { ...identity, at, by: SYSTEM, reason: reasonOf(def, false, limit), value: b.value[i] } };
      timed.push({ atMs: b.atMs[i], order: 1, command: { alarmId: def.alarmId, command, eventKey: `${batchKey}:${i}` } });
    }
    for (const u of engine.unitTransitions) {
      for (const def of engine.alarms) {
        if (def.unitId !== u.unitId) continue;
        const states = this.tagConfig.get(def.tagId)?.suppressInStates ?? [];
        const before = u.from !== 'unknown' && states.includes(u.from);
        const after = states.includes(u.to);
        if (before === after) continue;
        const at = new Date(u.atMs).toISOString();
        const data = { alarmId: def.alarmId, at, by: SYSTEM, reason: `unit ${u.unitId} ${u.to}` };
        timed.push({ atMs: u.atMs, order: 0, command: { alarmId: def.alarmId, command: after ? { type: 'Suppress', data } : { type: 'Unsuppress', data }, eventKey: `${batchKey}:unit:${u.unitId}:${u.atMs}` } });
      }
    }
    return timed.sort((a, b) => a.atMs - b.atMs || a.order - b.order).map((t) => t.command);
  }

  private async appendUnitChanges(tx: PoolClient, changes: readonly UnitTransition[], batchKey: string, batchCause?: EventCausation, timer = false): Promise<void> {
    const plantId = this.deps.plantId;
    const integration: IntegrationEvent[] = [];
    for (const u of changes) {
      const cause = timer ? this.causeOfTags(this.signalsOfUnit.get(u.unitId) ?? []) : batchCause;
      const correlationId = cause?.correlationId;
      const streamId = unitStreamId(plantId, u.unitId);
      const area = this.unitArea.get(u.unitId)!;
      const at = new Date(u.atMs).toISOString();
      const eventId = deterministicUuid(`${streamId}:${batchKey}:${u.atMs}`);
      const event: UnitStateChangedEvent = { type: 'UnitStateChanged', data: { unitId: u.unitId, area, from: u.from, to: u.to, at, trip: u.trip, by: SYSTEM, reason: u.trip ? 'stopped while running without a planned shutdown' : `state rule: ${u.to}` } };
      await this.deps.store.appendToStream(streamId, [{ eventId, type: event.type, data: event.data, metadata: { actor: SYSTEM, correlationId: correlationId ?? batchKey, ...(cause?.causationId !== undefined && { causationId: cause.causationId }) } }], { transaction: tx });
      const meta = { source: this.deps.source, subject: streamId, occurredAt: at, ...(correlationId !== undefined && { correlationId }), ...(cause?.causationId !== undefined && { causationId: cause.causationId }) };
      integration.push(integrationEvents.envelope('UnitStateChanged', { plantId, unitId: u.unitId, area, from: u.from, to: u.to, changedAt: at }, { ...meta, eventId: deterministicUuid(`integration:${eventId}`) }));
      if (u.trip) integration.push(integrationEvents.envelope('UnitTripped', { plantId, unitId: u.unitId, area, trippedAt: at }, { ...meta, eventId: deterministicUuid(`integration:trip:${eventId}`) }));
    }
    if (integration.length > 0) await this.deps.outbox.enqueue(integration, tx);
  }
}

function reasonOf(def: AlarmDefinition, active: boolean, limit: number): string {
  const what: Record<AlarmDefinition['kind'], string> = {
    HH: `above HH ${limit}`,
    H: `above H ${limit}`,
    L: `below L ${limit}`,
    LL: `below LL ${limit}`,
    ROC: `rate of change above ${limit}/s`,
    DEV: `deviation above ${limit}`,
    BAD: 'bad quality',
    DISC: `discrepancy with the redundant transmitter above ${limit}`,
  };
  return active ? what[def.kind] : `no longer ${what[def.kind]}`;
}
