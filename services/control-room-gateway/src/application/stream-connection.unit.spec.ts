import type { EventFilter } from '../domain/event-filter';
import type { StoredIntegrationEvent } from '../domain/wire-event';
import type { EventLog, LogBatch, LogCursor } from './event-log.port';
import { EventRing, ringEntryOf, type RingEntry } from './event-ring';
import type { EventSink } from './event-sink.port';
import { FrameCache } from './frame-cache';
import { Semaphore } from './semaphore';
import { StreamConnection, type ConnectionContext } from './stream-connection';

// Commit-safe order in these tests: one transaction per event, transaction id = 100 + position.
const cursor = (pos: number): LogCursor => ({ transactionId: String(100 + pos), globalPosition: pos });
const compare = (a: LogCursor, b: LogCursor) => Number(a.transactionId) - Number(b.transactionId) || a.globalPosition - b.globalPosition;
const event = (pos: number): StoredIntegrationEvent => ({
  streamId: 'integration-x',
  globalPosition: pos,
  eventId: `e${pos}`,
  type: 'LossSuspected',
  schemaVersion: 1,
  data: { unitId: 'U-1' },
  metadata: {},
  recordedAt: new Date(0),
});
const everything: EventFilter = { types: new Set(), units: new Set(), areas: new Set() };

/** The log as an array of stored events (positions 1 … n). */
function logOf(stored: StoredIntegrationEvent[]): EventLog {
  return {
    head: () => Promise.resolve(cursor(stored.length)),
    cursorAt: (p) => Promise.resolve(p <= stored.length ? cursor(p) : undefined),
    read(from, limit): Promise<LogBatch> {
      const events = stored.filter((e) => compare(cursor(e.globalPosition), from) > 0).slice(0, limit);
      const cursors = events.map((e) => cursor(e.globalPosition));
      return Promise.resolve({ events, cursors, next: cursors[cursors.length - 1] ?? from, full: events.length === limit });
    },
    tail: () => ({ stop: () => Promise.resolve() }),
    compare,
  };
}

/** A transport that takes `room` events before it reports itself full. */
class RecordingSink implements EventSink {
  readonly positions: number[] = [];
  lagged: (number | undefined)[] = [];
  constructor(public room = Infinity) {}
  send(entry: RingEntry): boolean {
    this.positions.push(entry.position);
    return this.positions.length < this.room;
  }
  lagging(resumeAfter: number | undefined): void {
    this.lagged.push(resumeAfter);
  }
}

const flush = () => new Promise((r) => setImmediate(r));

function contextOf(log: EventLog, ring: EventRing, frames = new FrameCache(1000, 1 << 20)): ConnectionContext {
  return { ring, log, catchUps: new Semaphore(2), catchUpBatch: 3, frames, allTypes: [], onLagging: () => undefined };
}

describe('stream connection', () => {
  it('clients resuming from the same position get every missed event in order and share one serialisation of each', async () => {
    const stored = Array.from({ length: 10 }, (_, i) => event(i + 1));
    const log = logOf(stored);
    const ring = new EventRing(cursor(10), compare, 100, 1 << 20);
    const frames = new FrameCache(1000, 1 << 20);
    const sinks = [new RecordingSink(), new RecordingSink(), new RecordingSink()];
    for (const sink of sinks) new StreamConnection(contextOf(log, ring, frames), sink, everything, cursor(2), 2).pump();
    for (let i = 0; i < 20; i++) await flush();
    for (const sink of sinks) expect(sink.positions).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(frames.serialised).toBe(8);
  });

  it('writes nothing to a full transport until it drains, then the rest in order; lags only when the window has moved past it', async () => {
    const ring = new EventRing(cursor(0), compare, 4, 1 << 20);
    const sink = new RecordingSink(2);
    const connection = new StreamConnection(contextOf(logOf([]), ring), sink, everything, cursor(0), undefined);
    connection.pump();
    await flush();
    ring.append([1, 2, 3].map((p) => ringEntryOf(event(p), cursor(p))), cursor(3));
    connection.appended();
    expect(sink.positions).toEqual([1, 2]);
    ring.append([ringEntryOf(event(4), cursor(4))], cursor(4));
    connection.appended();
    expect(sink.positions).toEqual([1, 2]);
    sink.room = Infinity;
    connection.writable();
    expect(sink.positions).toEqual([1, 2, 3, 4]);
    sink.room = 5;
    ring.append([5, 6].map((p) => ringEntryOf(event(p), cursor(p))), cursor(6));
    connection.appended();
    expect(sink.positions).toEqual([1, 2, 3, 4, 5]);
    expect(sink.lagged).toEqual([]);
    ring.append([7, 8, 9, 10].map((p) => ringEntryOf(event(p), cursor(p))), cursor(10));
    connection.appended();
    expect(sink.lagged).toEqual([5]);
    expect(connection.closed).toBe(true);
  });

  it('a transport that fails while sending closes its own connection as lagging, from its last delivered position', async () => {
    const ring = new EventRing(cursor(0), compare, 100, 1 << 20);
    const sink = new RecordingSink();
    const connection = new StreamConnection(contextOf(logOf([]), ring), sink, everything, cursor(0), undefined);
    connection.pump();
    await flush();
    ring.append([ringEntryOf(event(1), cursor(1))], cursor(1));
    connection.appended();
    sink.send = () => {
      throw new Error('socket gone');
    };
    ring.append([ringEntryOf(event(2), cursor(2))], cursor(2));
    expect(() => connection.appended()).not.toThrow();
    expect(sink.lagged).toEqual([1]);
  });
});
