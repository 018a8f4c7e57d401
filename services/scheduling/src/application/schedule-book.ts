import { deterministicUuid, foldEvents } from '@reflux/decider';
import { EVENT_STORE_ERROR_CODES, type EventStore } from '@reflux/event-store';
import { scheduleBookDecider, type ScheduleBookState } from '../domain/schedule-lifecycle.decider';
import { SCHEDULE_EVENT_TYPES, scheduleStreamId, type ProposedSchedule, type ScheduleCommand, type ScheduleEvent } from '../domain/schedule-lifecycle.events';
import type { Outbox } from './outbox.port';
import { scheduleIntegrationEvents } from './schedule-integration-events';

/** What caused a change: the causing event's id (or the request id) and its correlation id. */
export interface Cause {
  readonly correlationId?: string;
  readonly causationId?: string;
}

export type AppendedScheduleEvent = ScheduleEvent & { readonly integrationEventId: string };

export interface ScheduleBookDeps {
  readonly store: EventStore;
  readonly outbox: Outbox;
  readonly source: string;
}

/**
 * The `schedule-<plant>` stream of one plant, its folded state cached with the stream version.
 * Commands are decided against the cache and appended with that version expected, together with
 * their integration events in one transaction; another replica's append makes the append fail,
 * the stream is re-read and the command decided again.
 */
export class ScheduleBook {
  private state: ScheduleBookState = scheduleBookDecider.initialState();
  private version = -1;
  private proposals = new Map<string, ProposedSchedule>();

  constructor(
    private readonly deps: ScheduleBookDeps,
    readonly plantId: string,
  ) {}

  async load(): Promise<void> {
    const stored = await this.deps.store.readStream(scheduleStreamId(this.plantId));
    const events = stored.filter((e) => (SCHEDULE_EVENT_TYPES as readonly string[]).includes(e.type)).map((e) => ({ type: e.type, data: e.data }) as ScheduleEvent);
    this.state = foldEvents(scheduleBookDecider, events);
    this.version = stored.length === 0 ? -1 : stored[stored.length - 1].streamVersion;
    this.proposals = new Map(events.flatMap((e) => (e.type === 'ScheduleProposed' ? [[e.data.scheduleId, e.data] as const] : [])));
  }

  get current(): ScheduleBookState {
    return this.state;
  }

  /** The schedule in force, with what it was planned against. */
  published(): ProposedSchedule | undefined {
    return this.state.published ? this.proposals.get(this.state.published) : undefined;
  }

  /** The newest proposal (the last plan made), with what it was planned against. */
  latest(): ProposedSchedule | undefined {
    return [...this.proposals.values()].at(-1);
  }

  /**
   * Appends the events of these commands (decided in order); returns them (none: a retry) with the
   * ids of their integration events. `cause` names the event or request that caused them.
   */
  async execute(commands: readonly ScheduleCommand[], actor: string, cause: Cause = {}): Promise<readonly AppendedScheduleEvent[]> {
    const { correlationId, causationId } = cause;
    for (let attempt = 1; ; attempt++) {
      let state = this.state;
      const events: ScheduleEvent[] = [];
      for (const command of commands)
        for (const event of scheduleBookDecider.decide(command, state)) {
          events.push(event);
          state = scheduleBookDecider.evolve(state, event);
        }
      if (events.length === 0) return [];
      const streamId = scheduleStreamId(this.plantId);
      const ids = events.map((e, i) => deterministicUuid(`${streamId}:${this.version + 1 + i}:${e.type}:${e.data.scheduleId}`));
      const integration = scheduleIntegrationEvents(this.plantId, streamId, events, ids, this.deps.source, cause);
      try {
        const next = await this.deps.store.withTransaction(async (tx) => {
          const result = await this.deps.store.appendToStream(
            streamId,
            events.map((event, i) => ({ eventId: ids[i], type: event.type, data: event.data, metadata: { actor, ...(correlationId !== undefined && { correlationId }), ...(causationId !== undefined && { causationId }) } })),
            { expectedVersion: this.version, transaction: tx },
          );
          await this.deps.outbox.enqueue(integration, tx);
          return result.nextExpectedVersion;
        });
        this.state = state;
        this.version = next;
        for (const e of events) if (e.type === 'ScheduleProposed') this.proposals.set(e.data.scheduleId, e.data);
        return events.map((e, i) => ({ ...e, integrationEventId: integration[i].eventId }));
      } catch (error) {
        if (attempt >= 5 || (error as { code?: unknown }).code !== EVENT_STORE_ERROR_CODES.WRONG_EXPECTED_VERSION) throw error;
        await this.load();
      }
    }
  }
}
