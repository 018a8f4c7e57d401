import type { Decider } from '@reflux/decider';
import { DomainError } from '@reflux/decider';
import { handleCommand } from './command-handler';
import { EVENT_STORE_ERROR_CODES, EventStoreError, WrongExpectedVersionError } from './event-store.errors';
import type { AppendOptions, EventStore, NewEvent, RecordedEvent } from './event-store.port';

type Command = { type: 'SetSetpoint'; data: { setpointBar: number } };
type Event = { type: 'SetpointChanged'; data: { fromBar: number; toBar: number } };
type State = { setpointBar: number };

const controller: Decider<Command, Event, State> = {
  initialState: () => ({ setpointBar: 0 }),
  evolve: (_state, event) => ({ setpointBar: event.data.toBar }),
  decide: (command, state) => {
    if (command.data.setpointBar > 150) throw new DomainError('CONTROLLER.SETPOINT_ABOVE_LIMIT', 'setpoint above 150 bar');
    if (command.data.setpointBar === state.setpointBar) return [];
    return [{ type: 'SetpointChanged', data: { fromBar: state.setpointBar, toBar: command.data.setpointBar } }];
  },
};

/** An in-memory store whose next `conflicts` appends fail as if another writer got there first. */
function fakeStore(history: Event[], conflicts: number, concurrentWrite?: Event) {
  const stream: RecordedEvent[] = history.map((e, i) => recorded(e, i));
  const appends: { events: readonly NewEvent[]; options?: AppendOptions }[] = [];
  let reads = 0;
  const store: EventStore = {
    async readStream() {
      reads++;
      return [...stream];
    },
    async appendToStream(_id, events, options) {
      appends.push({ events, options });
      if (conflicts > 0) {
        conflicts--;
        if (concurrentWrite) stream.push(recorded(concurrentWrite, stream.length));
        throw new WrongExpectedVersionError('controller-PIC-101', options?.expectedVersion ?? 'any', stream.length - 1);
      }
      events.forEach((e) => stream.push(recorded(e as Event, stream.length)));
      return { nextExpectedVersion: stream.length - 1, lastGlobalPosition: 100 + stream.length, idempotentReplay: false };
    },
    readAll: jest.fn(),
    subscribe: jest.fn(),
    withTransaction: jest.fn(),
  };
  return { store, appends, reads: () => reads, stream };
}

function recorded(e: Pick<Event, 'type' | 'data'>, version: number): RecordedEvent {
  return { streamId: 'controller-PIC-101', streamVersion: version, globalPosition: version + 1, eventId: `e${version}`, type: e.type, data: e.data, schemaVersion: 1, metadata: {}, recordedAt: new Date(0) };
}

const set = (setpointBar: number): Command => ({ type: 'SetSetpoint', data: { setpointBar } });
const noSleep = { sleep: async () => undefined };

describe('handleCommand', () => {
  it('folds the stream, decides and appends with the version it read as expected version and the given metadata', async () => {
    const { store, appends } = fakeStore([{ type: 'SetpointChanged', data: { fromBar: 0, toBar: 10 } }], 0);
    const result = await handleCommand(store, controller, 'controller-PIC-101', set(12), { metadata: { correlationId: 'corr-1', actor: 'operator-2' } });
    expect(appends).toEqual([
      { events: [{ eventId: expect.stringMatching(/^[0-9a-f-]{36}$/), type: 'SetpointChanged', data: { fromBar: 10, toBar: 12 }, schemaVersion: 1, metadata: { correlationId: 'corr-1', actor: 'operator-2' } }], options: { expectedVersion: 0 } },
    ]);
    expect(result).toMatchObject({ newState: { setpointBar: 12 }, nextExpectedVersion: 1, attempts: 1, idempotentReplay: false });
  });

  it('expects an empty stream (-1) when the stream has no events', async () => {
    const { store, appends } = fakeStore([], 0);
    await handleCommand(store, controller, 'controller-PIC-101', set(5));
    expect(appends[0].options).toEqual({ expectedVersion: -1 });
  });

  it('re-reads and decides again after a version conflict, so the retry sees the concurrent write', async () => {
    const { store, appends, reads } = fakeStore([], 2, { type: 'SetpointChanged', data: { fromBar: 0, toBar: 7 } });
    const result = await handleCommand(store, controller, 'controller-PIC-101', set(9), { retries: { retries: 5, ...noSleep } });
    expect(reads()).toBe(3);
    expect(appends.map((a) => a.options?.expectedVersion)).toEqual([-1, 0, 1]);
    expect(appends[2].events[0].data).toEqual({ fromBar: 7, toBar: 9 });
    expect(result.attempts).toBe(3);
  });

  it('gives up with the conflict after the configured number of retries', async () => {
    const { store, appends } = fakeStore([], 10);
    await expect(handleCommand(store, controller, 'controller-PIC-101', set(9), { retries: { retries: 3, ...noSleep } })).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(appends).toHaveLength(4);
  });

  it('backs off exponentially with jitter between retries', async () => {
    const { store } = fakeStore([], 3);
    const delays: number[] = [];
    await handleCommand(store, controller, 'controller-PIC-101', set(9), {
      retries: { retries: 5, initialDelayMs: 10, factor: 2, maxDelayMs: 25, random: () => 0.5, sleep: async (ms) => void delays.push(ms) },
    });
    expect(delays).toEqual([5, 10, 12.5]); // half of 10, 20, min(25, 40)
  });

  it('does not retry a non-retriable domain error and appends nothing', async () => {
    const { store, appends, reads } = fakeStore([], 0);
    await expect(handleCommand(store, controller, 'controller-PIC-101', set(200), { retries: { retries: 5, ...noSleep } })).rejects.toMatchObject({ code: 'CONTROLLER.SETPOINT_ABOVE_LIMIT' });
    expect(reads()).toBe(1);
    expect(appends).toHaveLength(0);
  });

  it('appends nothing when the decider decides nothing', async () => {
    const { store, appends } = fakeStore([{ type: 'SetpointChanged', data: { fromBar: 0, toBar: 10 } }], 0);
    const result = await handleCommand(store, controller, 'controller-PIC-101', set(10));
    expect(appends).toHaveLength(0);
    expect(result).toMatchObject({ newEvents: [], nextExpectedVersion: 0 });
  });

  it('uses caller-supplied event ids so that a redelivered command is stored once', async () => {
    const { store, appends } = fakeStore([], 0);
    await handleCommand(store, controller, 'controller-PIC-101', set(3), { eventIds: (events) => events.map((_, i) => `cmd-42/${i}`) });
    expect(appends[0].events[0].eventId).toBe('cmd-42/0');
  });

  it('re-sends the same batch (same ids, same expected version) after an append with an unknown outcome, without deciding again', async () => {
    const { store, appends, reads } = fakeStore([], 0);
    const append = store.appendToStream.bind(store);
    let lost = 1;
    store.appendToStream = async (id, events, options) => {
      if (lost-- > 0) {
        await append(id, events, options); // committed, but the reply is lost
        throw new EventStoreError(EVENT_STORE_ERROR_CODES.TRANSIENT, 'Connection terminated unexpectedly', { retriable: true });
      }
      appends.push({ events, options });
      return { nextExpectedVersion: 0, lastGlobalPosition: 101, idempotentReplay: true };
    };
    const result = await handleCommand(store, controller, 'controller-PIC-101', set(4), { retries: { retries: 3, ...noSleep } });
    expect(reads()).toBe(1);
    expect(appends).toHaveLength(2);
    expect(appends[1]).toEqual(appends[0]);
    expect(result).toMatchObject({ idempotentReplay: true, attempts: 2, newState: { setpointBar: 4 } });
  });
});
