import { foldEvents } from '@reflux/decider';
import { EVENT_STORE_ERROR_CODES, type EventMetadata, type EventStore } from '@reflux/event-store';
import type { Logger } from 'pino';
import type { PoolClient } from 'pg';
import { alarmLifecycleDecider, type AlarmState } from '../domain/alarm-lifecycle.decider';
import { ALARM_EVENT_TYPES, type AlarmCommand, type AlarmEvent } from '../domain/alarm-lifecycle.events';
import { deterministicUuid } from '@reflux/decider';
import type { AlarmChangeHub } from './alarm-change.hub';
import { alarmIntegrationEvents } from './alarm-integration-events';
import type { EventCausation, Outbox } from './outbox.port';

/** `alarm-<plant>|<alarmId>`: `|` appears in no configured id, so the plant's category is unambiguous. */
export const alarmStreamPrefix = (plantId: string): string => `alarm-${plantId}|`;
export const alarmStreamId = (plantId: string, alarmId: string): string => `${alarmStreamPrefix(plantId)}${alarmId}`;

interface Entry {
  state: AlarmState;
  /** Version of the stream's last event, -1 when empty. */
  version: number;
}

/** A command for one alarm; `eventKey` derives the ids of the events it causes (idempotent appends). */
export interface LedgerCommand {
  readonly alarmId: string;
  readonly command: AlarmCommand;
  readonly eventKey: string;
}

/** Decided but not yet committed: apply with `commit` after the transaction commits. */
export interface StagedChanges {
  readonly entries: ReadonlyMap<string, Entry>;
  readonly events: readonly { alarmId: string; event: AlarmEvent; state: AlarmState }[];
}

/**
 * The alarm streams of one plant and their folded states, kept in memory. It is the single writer
 * of those streams in this process: callers serialise their use (SerialQueue). Commands are decided
 * against the cached state and appended with the cached version as expected version, inside the
 * caller's transaction together with the integration events; the cache changes only after commit.
 */
export class AlarmLedger {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly deps: { store: EventStore; outbox: Outbox; hub: AlarmChangeHub; plantId: string; logger: Logger; source: string },
  ) {}

  /** Folds every alarm stream of the plant (at start). */
  async load(): Promise<void> {
    const prefix = alarmStreamPrefix(this.deps.plantId);
    const byStream = new Map<string, { events: AlarmEvent[]; version: number }>();
    let after = 0;
    for (;;) {
      const page = await this.deps.store.readAll({ after, category: prefix, eventTypes: ALARM_EVENT_TYPES, maxCount: 10_000 });
      for (const e of page) {
        const entry = byStream.get(e.streamId) ?? { events: [], version: -1 };
        entry.events.push({ type: e.type, data: e.data } as AlarmEvent);
        entry.version = e.streamVersion;
        byStream.set(e.streamId, entry);
        after = e.globalPosition;
      }
      if (page.length < 10_000) break;
    }
    this.entries.clear();
    for (const [streamId, { events, version }] of byStream)
      this.entries.set(streamId.slice(prefix.length), { state: foldEvents(alarmLifecycleDecider, events), version });
  }

  state(alarmId: string): AlarmState {
    return this.entries.get(alarmId)?.state ?? alarmLifecycleDecider.initialState();
  }

  known(): IterableIterator<[string, { state: AlarmState }]> {
    return this.entries.entries();
  }

  /** Decides every command in order (several may touch one alarm) and appends the events inside `transaction`. */
  /**
   * `causeOf`: a cause per alarm overriding `metadata`'s causation and correlation ids (a timer tick
   * completing delays names, per alarm, the batch that last carried its tag's samples).
   */
  async stage(transaction: PoolClient, commands: readonly LedgerCommand[], metadata: EventMetadata, occurredAt: Date, causeOf?: (alarmId: string) => EventCausation | undefined): Promise<StagedChanges> {
    const working = new Map<string, Entry & { events: AlarmEvent[]; ids: string[] }>();
    const events: { alarmId: string; event: AlarmEvent; state: AlarmState }[] = [];
    for (const { alarmId, command, eventKey } of commands) {
      let w = working.get(alarmId);
      if (!w) {
        const cached = this.entries.get(alarmId) ?? { state: alarmLifecycleDecider.initialState(), version: -1 };
        w = { ...cached, events: [], ids: [] };
        working.set(alarmId, w);
      }
      const decided = alarmLifecycleDecider.decide(command, w.state);
      decided.forEach((event, i) => {
        w.state = alarmLifecycleDecider.evolve(w.state, event);
        w.events.push(event);
        w.ids.push(deterministicUuid(`${this.deps.plantId}:${alarmId}:${eventKey}:${i}`));
        events.push({ alarmId, event, state: w.state });
      });
    }
    const entries = new Map<string, Entry>();
    const integration = [];
    for (const [alarmId, w] of working) {
      if (w.events.length === 0) continue;
      const streamId = alarmStreamId(this.deps.plantId, alarmId);
      const cause = causeOf?.(alarmId);
      const streamMetadata: EventMetadata = cause ? { ...metadata, ...cause } : metadata;
      const result = await this.deps.store.appendToStream(
        streamId,
        w.events.map((event, i) => ({ eventId: w.ids[i], type: event.type, data: event.data, metadata: { ...streamMetadata, actor: event.data.by } })),
        { expectedVersion: w.version, transaction },
      );
      entries.set(alarmId, { state: w.state, version: result.nextExpectedVersion });
      integration.push(...alarmIntegrationEvents(this.deps.plantId, streamId, w.events, w.ids, this.deps.source, occurredAt, streamMetadata.correlationId, streamMetadata.causationId));
    }
    if (integration.length > 0) await this.deps.outbox.enqueue(integration, transaction);
    return { entries, events };
  }

  /** Makes committed changes visible and tells the watchers. */
  commit(staged: StagedChanges): void {
    for (const [alarmId, entry] of staged.entries) this.entries.set(alarmId, entry);
    const recordedAt = new Date();
    for (const e of staged.events) this.deps.hub.publish({ plantId: this.deps.plantId, alarmId: e.alarmId, event: e.event, state: e.state, recordedAt });
  }

  /**
   * One command in its own transaction (an operator action). A version conflict (another writer,
   * e.g. a second replica) reloads the alarm's stream and tries again once.
   */
  async execute(command: LedgerCommand, metadata: EventMetadata): Promise<AlarmState> {
    for (let attempt = 1; ; attempt++) {
      try {
        const staged = await this.deps.store.withTransaction((tx) => this.stage(tx, [command], metadata, new Date()));
        this.commit(staged);
        return this.state(command.alarmId);
      } catch (error) {
        if (attempt > 1 || (error as { code?: unknown }).code !== EVENT_STORE_ERROR_CODES.WRONG_EXPECTED_VERSION) throw error;
        await this.reload(command.alarmId);
      }
    }
  }

  /** Re-reads one alarm's stream (after another writer appended to it). */
  async reload(alarmId: string): Promise<void> {
    const stored = await this.deps.store.readStream(alarmStreamId(this.deps.plantId, alarmId));
    this.entries.set(alarmId, {
      state: foldEvents(alarmLifecycleDecider, stored.map((e) => ({ type: e.type, data: e.data }) as AlarmEvent)),
      version: stored.length === 0 ? -1 : stored[stored.length - 1].streamVersion,
    });
  }
}
