import { foldEvents } from '@reflux/decider';
import { EVENT_STORE_ERROR_CODES, retryWithBackoff, type EventStore, type RecordedEvent } from '@reflux/event-store';
import { reconcile } from '@reflux/reconciliation';
import type { Logger } from 'pino';
import type { BalanceRecord } from '../domain/balance-record';
import { buildBalanceRecord } from '../domain/balance-record.builder';
import { balanceStreamId, toWindowIso, windowSeconds, type BalanceWindow } from '../domain/balance-window';
import { balanceWindowDecider, type BalanceWindowEvent, type StoredBalance } from '../domain/balance-window.decider';
import { BalancingError, BalancingErrorCode } from '../domain/balancing.errors';
import { deterministicUuid } from '@reflux/decider';
import { persistentSuspects, PUBLISH_AT_ONCE, type PersistenceRule } from '../domain/suspect-persistence';
import { planComponentBalances } from '../domain/component-balance.plan';
import { buildPlantNetwork } from '../domain/plant-network.mapper';
import { compensationTagIds } from '../domain/flow-compensation';
import { WATER_MEDIA } from '../domain/steam-energy-balance';
import type { SigmaSource, TagAverage } from '../domain/tag-average';
import type { BalancePublisher } from './balance-publisher.port';
import type { HistorySource } from './history-source.port';
import type { PlantModelRegistry } from './plant-model.registry';
import { noMetrics, type ReconcileOutcome, type ReconciliationMetrics } from './reconciliation-metrics.port';

export interface ReconcilerSettings {
  /** Significance level of the tests. */
  readonly alpha: number;
  readonly sigmaSource: SigmaSource;
  /** Sub-windows for the window spread (sigma source `window`). */
  readonly spreadBuckets: number;
  readonly minGoodShare: number;
  /** Share of the window a history average must cover. */
  readonly minCoverage: number;
  /** How many windows a suspect must persist over before it is published; default at once. */
  readonly persistence?: PersistenceRule;
}

export interface ReconcileWindowCommand {
  readonly plantId: string;
  readonly window: BalanceWindow;
  /** Given averages (a Reconcile request); otherwise read from the history. */
  readonly measurements?: ReadonlyMap<string, TagAverage>;
  readonly alpha?: number;
  readonly dryRun?: boolean;
  /**
   * Late data may have changed the window: reconcile it even when a result is stored, and store a
   * new revision when the result differs (the first result when there is none).
   */
  readonly revise?: boolean;
  /** What asked for it (`schedule`, `measurements-ingested`, `grpc`), logged and used as correlation. */
  readonly trigger: string;
  readonly correlationId?: string;
  readonly actor?: string;
  readonly signal?: AbortSignal;
}

export interface ReconcileWindowResult {
  readonly record: BalanceRecord;
  readonly reconciledAt: string;
  /** The window was already reconciled under this plant-model version; the stored result is returned. */
  readonly replayed: boolean;
  readonly streamId: string;
}

export interface BalanceReconcilerDeps {
  readonly store: EventStore;
  readonly publisher: BalancePublisher;
  readonly models: PlantModelRegistry;
  readonly history: HistorySource;
  readonly logger: Logger;
  readonly settings: ReconcilerSettings;
  readonly now?: () => Date;
  readonly metrics?: ReconciliationMetrics;
}

/**
 * Reconciles one window of one plant and stores the result: the balance stream's events and the
 * matching integration events are appended in one transaction (optimistic concurrency on the
 * stream version, deterministic event ids), so a result is stored and published together, once.
 */
export class BalanceReconciler {
  private readonly now: () => Date;

  constructor(private readonly deps: BalanceReconcilerDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async reconcileWindow(command: ReconcileWindowCommand): Promise<ReconcileWindowResult> {
    const started = process.hrtime.bigint();
    const metrics = this.deps.metrics ?? noMetrics;
    const observe = (outcome: ReconcileOutcome, record?: BalanceRecord) =>
      metrics.observe({ plantId: command.plantId, trigger: command.trigger, outcome, seconds: Number(process.hrtime.bigint() - started) / 1e9, record });
    try {
      const result = await this.run(command);
      observe(result.replayed ? 'replayed' : command.dryRun ? 'dry-run' : 'stored', result.record);
      return result;
    } catch (error) {
      observe((error as { code?: unknown }).code === BalancingErrorCode.noMeasurements ? 'no-measurements' : 'failed');
      throw error;
    }
  }

  private async run(command: ReconcileWindowCommand): Promise<ReconcileWindowResult> {
    const { graph, version } = this.deps.models.current(command.plantId);
    const streamId = balanceStreamId(command.plantId, command.window);
    if (!command.dryRun) {
      const stored = await this.storedResult(streamId, version);
      if (stored && !command.revise) return { record: stored.record, reconciledAt: stored.reconciledAt, replayed: true, streamId };
    }

    const averages = command.measurements ?? (await this.readHistory(command));
    const alpha = command.alpha ?? this.deps.settings.alpha;
    const averaging = {
      sigmaSource: command.measurements ? ('tag' as const) : this.deps.settings.sigmaSource,
      minGoodShare: this.deps.settings.minGoodShare,
      minCoverage: this.deps.settings.minCoverage,
    };
    const mapping = buildPlantNetwork(graph, averages, { windowS: windowSeconds(command.window), ...averaging });
    if (!mapping.streams.some((s) => s.measured))
      throw new BalancingError(
        BalancingErrorCode.noMeasurements,
        `no usable flow measurement for plant "${command.plantId}" in [${command.window.start.toISOString()}, ${command.window.end.toISOString()})`,
      );
    // gains too: a unit that puts out more than it gets has an inflow the model misses (a negative loss)
    const result = await reconcile(mapping.network, { alpha, gains: true });
    const record = buildBalanceRecord({
      graph,
      plantModelVersion: version,
      window: toWindowIso(command.window),
      source: command.measurements ? 'request' : 'history',
      alpha,
      mapping,
      averages,
      result,
      averaging,
    });
    const reconciledAt = this.now().toISOString();
    if (command.dryRun) return { record, reconciledAt, replayed: false, streamId };
    return this.store(streamId, record, reconciledAt, command, await this.published(command, record));
  }

  /**
   * The newest stored result of a window straight from its event stream (read-your-writes, for
   * when the read model has not caught up yet).
   */
  async latestStoredResult(plantId: string, window: BalanceWindow): Promise<StoredBalance | undefined> {
    const state = foldEvents(balanceWindowDecider, (await this.deps.store.readStream(balanceStreamId(plantId, window))).map(toDomainEvent));
    const newest = Math.max(0, ...state.reconciled.keys());
    return state.reconciled.get(newest);
  }

  /** Keys of the suspects to publish under the persistence rule (undefined: all of them). */
  private async published(command: ReconcileWindowCommand, record: BalanceRecord): Promise<string[] | undefined> {
    const rule = this.deps.settings.persistence ?? PUBLISH_AT_ONCE;
    if (rule.windows <= 1 || (record.grossErrors.length === 0 && record.losses.length === 0)) return undefined;
    const lengthMs = command.window.end.getTime() - command.window.start.getTime();
    const previous = [];
    for (let i = 1; i < rule.windows; i++) {
      const shift = (d: Date) => new Date(d.getTime() - i * lengthMs);
      previous.push((await this.latestStoredResult(command.plantId, { start: shift(command.window.start), end: shift(command.window.end) }))?.record);
    }
    return persistentSuspects(record, previous, rule);
  }

  /** The stored result of a window under a plant-model version, if any. */
  async storedResult(streamId: string, version: number): Promise<StoredBalance | undefined> {
    const state = foldEvents(balanceWindowDecider, (await this.deps.store.readStream(streamId)).map(toDomainEvent));
    return state.reconciled.get(version);
  }

  private async readHistory(command: ReconcileWindowCommand): Promise<Map<string, TagAverage>> {
    const { graph } = this.deps.models.current(command.plantId);
    const tags = graph.tags();
    const flowTagIds = tags.filter((t) => t.streamId !== undefined && ['massFlow', 'volumetricFlow', 'normalVolumetricFlow', 'power'].includes(t.kind)).map((t) => t.id);
    // temperatures and pressures of water and steam streams, for the steam energy balance
    const stateTagIds = tags
      .filter((t) => (t.kind === 'temperature' || t.kind === 'pressure') && t.streamId !== undefined && WATER_MEDIA.has(graph.stream(t.streamId).medium))
      .map((t) => t.id);
    // live temperatures and pressures of compensated flow meters
    stateTagIds.push(...compensationTagIds(graph).filter((id) => !stateTagIds.includes(id)));
    // analysers on streams of units with a component balance
    const balanced = new Set(planComponentBalances(graph).map((p) => p.unitId));
    const compositionTagIds = tags
      .filter((t) => t.kind === 'composition' && t.streamId !== undefined && [graph.stream(t.streamId).from, graph.stream(t.streamId).to].some((u) => u !== null && balanced.has(u)))
      .map((t) => t.id);
    const levelTagIds = tags.filter((t) => t.kind === 'level' && t.unitId !== undefined && graph.unit(t.unitId).inventory !== undefined).map((t) => t.id);
    try {
      return await this.deps.history.readWindow({
        plantId: command.plantId,
        tagIds: [...flowTagIds, ...stateTagIds, ...compositionTagIds],
        levelTagIds,
        window: command.window,
        spreadBuckets: this.deps.settings.spreadBuckets,
        signal: command.signal,
      });
    } catch (error) {
      if (error instanceof BalancingError) throw error;
      throw new BalancingError(BalancingErrorCode.historyUnavailable, `reading the measurement history failed: ${(error as Error).message}`, { cause: error });
    }
  }

  private async store(streamId: string, record: BalanceRecord, reconciledAt: string, command: ReconcileWindowCommand, publish: string[] | undefined): Promise<ReconcileWindowResult> {
    const { store, publisher, logger } = this.deps;
    return retryWithBackoff(
      async () => {
        const stored = await store.readStream(streamId);
        const version = stored.length === 0 ? -1 : stored[stored.length - 1].streamVersion;
        const state = foldEvents(balanceWindowDecider, stored.map(toDomainEvent));
        const events = balanceWindowDecider.decide({ type: command.revise ? 'ReviseBalance' : 'RecordBalance', data: { record, reconciledAt, ...(publish && { publish }) } }, state);
        if (events.length === 0) {
          const existing = state.reconciled.get(record.plantModelVersion)!;
          return { record: existing.record, reconciledAt: existing.reconciledAt, replayed: true, streamId };
        }
        const revision = events[0].type === 'BalanceRevised' ? events[0].data.revision : 0;
        // ids from the stream, version and revision: a retried append of the same decision is recognised
        const ids = events.map((_, i) => deterministicUuid(`${streamId}:v${record.plantModelVersion}${revision > 0 ? `:r${revision}` : ''}:${i}`));
        const correlationId = command.correlationId ?? ids[0];
        await store.withTransaction(async (transaction) => {
          await store.appendToStream(
            streamId,
            events.map((event, i) => ({ eventId: ids[i], type: event.type, data: event.data, metadata: { correlationId, actor: command.actor, trigger: command.trigger } })),
            { expectedVersion: version, transaction },
          );
          await publisher.publishBalanceEvents({ subject: streamId, events, domainEventIds: ids, occurredAt: reconciledAt, correlationId }, transaction);
        });
        logger.info(
          { streamId, plantModelVersion: record.plantModelVersion, revision, trigger: command.trigger, globalTest: record.globalTest.statistic, rejected: record.globalTest.rejected, grossErrors: record.grossErrors.length, losses: record.losses.length },
          'balance window reconciled',
        );
        return { record, reconciledAt, replayed: false, streamId };
      },
      {
        retries: 5,
        shouldRetry: (error) => {
          const code = (error as { code?: unknown }).code;
          return code === EVENT_STORE_ERROR_CODES.WRONG_EXPECTED_VERSION || code === EVENT_STORE_ERROR_CODES.EVENT_ID_CONFLICT || (error as { retriable?: unknown }).retriable === true;
        },
      },
    );
  }
}

export const toDomainEvent = (event: RecordedEvent): BalanceWindowEvent => ({ type: event.type, data: event.data }) as BalanceWindowEvent;
