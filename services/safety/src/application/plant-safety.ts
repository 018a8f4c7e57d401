import type { EventStore } from '@reflux/event-store';
import type { Logger } from 'pino';
import type { AlarmConfiguration } from '../domain/alarm-config';
import { alarmStatus, type AlarmState, type AlarmStatus } from '../domain/alarm-lifecycle.decider';
import type { AlarmCommand, AlarmAction } from '../domain/alarm-lifecycle.events';
import { SafetyError, SafetyErrorCode } from '../domain/safety.errors';
import type { AlarmChangeHub } from './alarm-change.hub';
import type { AlarmConfigurationStore, VersionedConfiguration } from './alarm-configuration.store';
import { AlarmEvaluator } from './alarm-evaluator';
import { AlarmLedger } from './alarm-ledger';
import type { EarlyWarningMonitor } from './early-warning.port';
import type { EvaluationStateStore } from './evaluation-state.port';
import type { Outbox } from './outbox.port';
import type { SampleHistory } from './sample-history.port';
import { SerialQueue } from './serial-queue';

export interface PlantSafetyDeps {
  readonly store: EventStore;
  readonly outbox: Outbox;
  readonly history: SampleHistory;
  readonly state: EvaluationStateStore;
  readonly configurations: AlarmConfigurationStore;
  readonly hub: AlarmChangeHub;
  readonly logger: Logger;
  readonly source: string;
  readonly earlyWarning?: readonly EarlyWarningMonitor[];
}

export interface AlarmView {
  readonly alarmId: string;
  readonly state: AlarmState;
  readonly status: AlarmStatus;
}

function shelfExpiry(expiresAt: Date | undefined): string {
  if (!expiresAt || Number.isNaN(expiresAt.getTime()))
    throw new SafetyError(SafetyErrorCode.invalidShelf, 'a shelf needs an expiry time', { violations: [{ field: 'expiry_time', description: 'is required' }] });
  return expiresAt.toISOString();
}

export type OperatorAction = 'Acknowledge' | 'Shelve' | 'Unshelve' | 'Comment' | 'RemoveFromService' | 'ReturnToService';

/**
 * Alarm management of one plant: its configuration version, the alarm ledger (lifecycle states),
 * the evaluator (engine) and the operator actions. Batches, timer ticks, operator actions and
 * configuration changes are serialised on one queue.
 */
export class PlantSafety {
  readonly queue = new SerialQueue();
  readonly ledger: AlarmLedger;
  private evaluator: AlarmEvaluator;
  private configuration: VersionedConfiguration;

  private constructor(private readonly deps: PlantSafetyDeps, configuration: VersionedConfiguration) {
    this.configuration = configuration;
    this.ledger = new AlarmLedger({ store: deps.store, outbox: deps.outbox, hub: deps.hub, plantId: configuration.config.plantId, logger: deps.logger, source: deps.source });
    this.evaluator = this.evaluatorFor(configuration.config);
  }

  static async start(deps: PlantSafetyDeps, configuration: VersionedConfiguration): Promise<PlantSafety> {
    const plant = new PlantSafety(deps, configuration);
    await plant.ledger.load();
    await plant.evaluator.restore();
    return plant;
  }

  get plantId(): string {
    return this.configuration.config.plantId;
  }

  get config(): VersionedConfiguration {
    return this.configuration;
  }

  get engine(): AlarmEvaluator['engine'] {
    return this.evaluator.engine;
  }

  onBatch(batchKey: string, tagIds: readonly string[], fromMs: number, toMs: number, correlationId?: string): Promise<number> {
    return this.evaluator.onBatch(batchKey, tagIds, fromMs, toMs, correlationId);
  }

  tick(dataTimeMs: number, nowMs: number): Promise<number> {
    return this.evaluator.tick(dataTimeMs, nowMs);
  }

  unitStates(): ReturnType<AlarmEvaluator['unitStates']> {
    return this.evaluator.unitStates();
  }

  /** Replaces the configuration; the engine is rebuilt from the saved per-tag state under the new one. */
  async putConfiguration(document: unknown, expectedVersion: number, by: string): Promise<number> {
    return this.queue.run(async () => {
      const next = await this.deps.configurations.put(this.plantId, document, expectedVersion, by);
      const evaluator = this.evaluatorFor(next.config);
      await evaluator.restore();
      this.evaluator = evaluator;
      this.configuration = next;
      this.deps.logger.info({ plantId: this.plantId, version: next.version, by }, 'alarm configuration changed');
      return next.version;
    });
  }

  /** An operator action on a configured alarm, attributed to `by`. */
  act(action: OperatorAction, alarmId: string, by: string, input: { reason?: string; expiresAt?: Date; text?: string }, correlationId?: string): Promise<AlarmView> {
    if (!this.evaluator.engine.alarms.some((a) => a.alarmId === alarmId) && this.ledger.state(alarmId).identity === undefined)
      throw new SafetyError(SafetyErrorCode.alarmNotFound, `plant "${this.plantId}" has no alarm "${alarmId}"`, { violations: [{ field: 'alarm_id', description: `unknown alarm "${alarmId}"` }] });
    const at = new Date();
    const base: AlarmAction = { alarmId, at: at.toISOString(), by, reason: input.reason ?? '' };
    const command: AlarmCommand =
      action === 'Shelve'
        ? { type: 'Shelve', data: { ...base, expiresAt: shelfExpiry(input.expiresAt) } }
        : action === 'Comment'
          ? { type: 'Comment', data: { ...base, text: input.text ?? '' } }
          : { type: action, data: base };
    return this.queue.run(async () => {
      const state = await this.ledger.execute({ alarmId, command, eventKey: `op:${at.getTime()}:${action}:${by}` }, { actor: by, ...(correlationId !== undefined && { correlationId }) });
      return { alarmId, state, status: alarmStatus(state) };
    });
  }

  /** Every alarm not in state normal, in alarm-id order. */
  activeAlarms(): AlarmView[] {
    const out: AlarmView[] = [];
    for (const [alarmId, { state }] of this.ledger.known()) {
      const status = alarmStatus(state);
      if (status !== 'normal') out.push({ alarmId, state, status });
    }
    return out.sort((a, b) => (a.alarmId < b.alarmId ? -1 : a.alarmId > b.alarmId ? 1 : 0));
  }

  view(alarmId: string): AlarmView {
    const state = this.ledger.state(alarmId);
    return { alarmId, state, status: alarmStatus(state) };
  }

  private evaluatorFor(config: AlarmConfiguration): AlarmEvaluator {
    return new AlarmEvaluator({ ...this.deps, plantId: config.plantId, config, ledger: this.ledger, queue: this.queue });
  }
}
