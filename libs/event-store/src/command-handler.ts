import { randomUUID } from 'node:crypto';
import type { Decider } from '@reflux/decider';
import type { AppendResult, EventMetadata, EventStore, NewEvent, RecordedEvent } from './event-store.port';
import { EVENT_STORE_ERROR_CODES } from './event-store.errors';
import { retryWithBackoff, type RetryOptions } from './retry';
import type { SnapshotStore } from './snapshot.port';

export interface DomainEvent {
  readonly type: string;
  readonly data: unknown;
}

export interface HandleCommandOptions<Event extends DomainEvent, State = unknown> {
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
  /** The stream is read and folded in pages of this many events (memory stays bounded). Default 1000. */
  readonly readPageSize?: number;
  /** Snapshots for long streams: fold from the latest snapshot instead of from the first event. */
  readonly snapshots?: SnapshotOptions<State>;
}

export interface SnapshotOptions<State> {
  readonly store: SnapshotStore;
  /** Snapshot name, one per decider (a stream may be folded by several deciders). */
  readonly name: string;
  /** Bump when the state's shape or `evolve` changes: snapshots of another version are ignored. Default 1. */
  readonly schemaVersion?: number;
  /** A new snapshot is written once the stream has grown by this many events since the last one. */
  readonly every: number;
  /** State ↔ JSON-compatible data; default identity (the state must then survive JSON as is). */
  readonly toSnapshot?: (state: State) => unknown;
  readonly fromSnapshot?: (data: unknown) => State;
  /**
   * A failed snapshot write does not fail the command (its events are committed; the next command
   * tries again); it is passed here, e.g. to log it.
   */
  readonly onSaveError?: (error: unknown) => void;
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
  options: HandleCommandOptions<Event, State> = {},
): Promise<HandleCommandResult<Event, State>> {
  const retry: RetryOptions = typeof options.retries === 'number' ? { retries: options.retries } : (options.retries ?? {});
  const toDomain = options.toDomainEvent ?? ((e: RecordedEvent) => ({ type: e.type, data: e.data }) as Event);
  let attempts = 0;
  // A decision whose append failed with an unknown outcome (connection lost, possibly during
  // COMMIT): the next try re-sends exactly that batch, same ids, same expected version, so the
  // store reports it as a replay if it did commit. Only a version conflict (proof that nothing was
  // written, since ids are classified first) makes the handler read and decide again.
  let snapshotBase = -1;
  let pending: { version: number; state: State; newEvents: readonly Event[]; events: NewEvent[] } | undefined;
  return retryWithBackoff(async (attempt) => {
    attempts = attempt;
    if (!pending) {
      const { version, state, snapshotVersion } = await foldStream(store, decider, streamId, toDomain, options);
      snapshotBase = snapshotVersion;
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
    if (options.snapshots && result.nextExpectedVersion - snapshotBase >= options.snapshots.every) {
      await writeSnapshot(options.snapshots, streamId, result.nextExpectedVersion, newState);
    }
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

/** Folds the stream from its snapshot (if any) page by page; the version is the last event folded. */
async function foldStream<Command, Event extends DomainEvent, State>(
  store: EventStore,
  decider: Decider<Command, Event, State>,
  streamId: string,
  toDomain: (event: RecordedEvent) => Event,
  options: HandleCommandOptions<Event, State>,
): Promise<{ version: number; state: State; snapshotVersion: number }> {
  const pageSize = options.readPageSize ?? 1000;
  let state = decider.initialState();
  let version = -1;
  const snapshots = options.snapshots;
  if (snapshots) {
    const snapshot = await snapshots.store.loadSnapshot(streamId, snapshots.name, snapshots.schemaVersion ?? 1);
    if (snapshot) {
      state = snapshots.fromSnapshot ? snapshots.fromSnapshot(snapshot.state) : (snapshot.state as State);
      version = snapshot.streamVersion;
    }
  }
  const snapshotVersion = version;
  for (;;) {
    const page = await store.readStream(streamId, { fromVersion: version + 1, maxCount: pageSize });
    for (const event of page) state = decider.evolve(state, toDomain(event));
    if (page.length > 0) version = page[page.length - 1].streamVersion;
    if (page.length < pageSize) return { version, state, snapshotVersion };
  }
}

async function writeSnapshot<State>(snapshots: SnapshotOptions<State>, streamId: string, streamVersion: number, state: State): Promise<void> {
  try {
    const data = snapshots.toSnapshot ? snapshots.toSnapshot(state) : state;
    await snapshots.store.saveSnapshot(streamId, snapshots.name, snapshots.schemaVersion ?? 1, { streamVersion, state: data });
  } catch (error) {
    snapshots.onSaveError?.(error);
  }
}
