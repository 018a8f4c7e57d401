import { randomUUID } from 'node:crypto';
import { type Decider, foldEvents } from '@reflux/decider';
import type { AppendResult, EventMetadata, EventStore, NewEvent, RecordedEvent } from './event-store.port';
import { EVENT_STORE_ERROR_CODES } from './event-store.errors';
import { retryWithBackoff, type RetryOptions } from './retry';

export interface DomainEvent {
  readonly type: string;
  readonly data: unknown;
}

export interface HandleCommandOptions<Event extends DomainEvent> {
  /** Attached to every event appended (correlation, causation, trace context, actor). */
  readonly metadata?: EventMetadata;
  /** Retries on version conflicts; a number means that many retries with default backoff. Default 5. */
  readonly retries?: number | RetryOptions;
  /** Schema version to store per event type; 1 when absent. */
  readonly schemaVersionOf?: (event: Event) => number;
  /**
   * Event ids for the appended events, e.g. derived from a command id so that a command delivered
   * twice is stored once. Called with the decided events of the attempt that commits.
   */
  readonly eventIds?: (events: readonly Event[]) => readonly string[];
  /** Maps a stored event to the decider's event; default `{ type, data }`. */
  readonly toDomainEvent?: (event: RecordedEvent) => Event;
}

export interface HandleCommandResult<Event, State> {
  readonly newEvents: readonly Event[];
  readonly newState: State;
  /** Stream version after the command (what the next writer should expect). */
  readonly nextExpectedVersion: number;
  /** True when the events were already stored (a redelivered command with deterministic event ids). */
  readonly idempotentReplay: boolean;
  /** Attempts used (1 = no conflict). */
  readonly attempts: number;
}

/**
 * The one generic command handler: read the stream, fold it with `evolve`, `decide`, append with
 * the version read as expected version. A concurrent writer makes the append fail with
 * EVENT_STORE.WRONG_EXPECTED_VERSION; the whole read-decide-append is then retried with
 * exponential backoff and jitter. Domain errors thrown by `decide` are not retried unless they
 * say `retriable: true`.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  decider: Decider<Command, Event, State>,
  streamId: string,
  command: Command,
  options: HandleCommandOptions<Event> = {},
): Promise<HandleCommandResult<Event, State>> {
  const retry: RetryOptions = typeof options.retries === 'number' ? { retries: options.retries } : (options.retries ?? {});
  const toDomain = options.toDomainEvent ?? ((e: RecordedEvent) => ({ type: e.type, data: e.data }) as Event);
  let attempts = 0;
  // A decision whose append failed with an unknown outcome (connection lost, possibly during
  // COMMIT): the next try re-sends exactly that batch, same ids, same expected version, so the
  // store reports it as a replay if it did commit. Only a version conflict (proof that nothing was
  // written, since ids are classified first) makes the handler read and decide again.
  let pending: { version: number; state: State; newEvents: readonly Event[]; events: NewEvent[] } | undefined;
  return retryWithBackoff(async (attempt) => {
    attempts = attempt;
    if (!pending) {
      const stored = await store.readStream(streamId);
      const version = stored.length === 0 ? -1 : stored[stored.length - 1].streamVersion;
      const state = foldEvents(decider, stored.map(toDomain));
      const newEvents = decider.decide(command, state);
      if (newEvents.length === 0) {
        return { newEvents, newState: state, nextExpectedVersion: version, idempotentReplay: false, attempts };
      }
      const ids = options.eventIds?.(newEvents) ?? newEvents.map(() => randomUUID());
      const events = newEvents.map((event, i) => ({
        eventId: ids[i],
        type: event.type,
        data: event.data,
        schemaVersion: options.schemaVersionOf?.(event) ?? 1,
        metadata: options.metadata,
      }));
      pending = { version, state, newEvents, events };
    }
    const { version, state, newEvents, events } = pending;
    let result: AppendResult;
    try {
      result = await store.appendToStream(streamId, events, { expectedVersion: version });
    } catch (error) {
      if (!isUnknownOutcome(error)) pending = undefined;
      throw error;
    }
    const newState = newEvents.reduce((s, e) => decider.evolve(s, e), state);
    return { newEvents, newState, nextExpectedVersion: result.nextExpectedVersion, idempotentReplay: result.idempotentReplay, attempts };
  }, {
    ...retry,
    shouldRetry: retry.shouldRetry ?? ((error) => (error as { code?: unknown }).code === EVENT_STORE_ERROR_CODES.WRONG_EXPECTED_VERSION || (error as { retriable?: unknown }).retriable === true),
  });
}

/** The append may or may not have committed: a lost connection or another transient failure. */
function isUnknownOutcome(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === EVENT_STORE_ERROR_CODES.TRANSIENT || code === EVENT_STORE_ERROR_CODES.CONCURRENT_DUPLICATE;
}
