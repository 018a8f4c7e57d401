import { EventRing, ringEntryOf } from './event-ring';
import type { LogCursor } from './event-log.port';

const cursor = (tx: number, pos: number): LogCursor => ({ transactionId: String(tx), globalPosition: pos });
const compare = (a: LogCursor, b: LogCursor) => Number(a.transactionId) - Number(b.transactionId) || a.globalPosition - b.globalPosition;
const entry = (tx: number, pos: number) =>
  ringEntryOf({ streamId: 'integration-x', globalPosition: pos, eventId: `e${pos}`, type: 'LossSuspected', schemaVersion: 1, data: { unitId: 'U' }, metadata: {}, recordedAt: new Date(0) }, cursor(tx, pos));

describe('event ring', () => {
  it('finds the first event after a cursor in commit-safe order, not position order', () => {
    const ring = new EventRing(cursor(10, 0), compare, 100, 1 << 20);
    // Position 4 belongs to a later transaction than position 5: it comes after it.
    ring.append([entry(11, 5), entry(12, 4), entry(13, 6)], cursor(14, 0));
    expect(ring.at(ring.firstAfter(cursor(11, 5)))?.position).toBe(4);
    expect(ring.at(ring.firstAfter(cursor(10, 0)))?.position).toBe(5);
    expect(ring.at(ring.firstAfter(cursor(13, 6)))).toBeUndefined();
  });

  it('finds the first event after any cursor in a long window, near its end or far from it', () => {
    const ring = new EventRing(cursor(0, 0), compare, 1000, 1 << 20);
    ring.append(Array.from({ length: 100 }, (_, i) => entry(i + 1, i + 1)), cursor(101, 0));
    for (const p of [0, 1, 10, 50, 91, 92, 95, 99]) expect(ring.at(ring.firstAfter(cursor(p, p)))?.position).toBe(p + 1);
    expect(ring.at(ring.firstAfter(cursor(100, 100)))).toBeUndefined();
    expect(ring.at(ring.firstAfter(cursor(101, 0)))).toBeUndefined();
  });

  it('evicts by count and moves `from` to the last evicted event, so a cursor before it is no longer covered', () => {
    const ring = new EventRing(cursor(1, 0), compare, 2, 1 << 20);
    ring.append([entry(2, 1), entry(3, 2), entry(4, 3)], cursor(5, 0));
    expect(ring.size).toBe(2);
    expect(ring.covers(cursor(2, 1))).toBe(true);
    expect(ring.covers(cursor(1, 0))).toBe(false);
    expect(ring.at(ring.firstAfter(cursor(2, 1)))?.position).toBe(2);
  });

  it('evicts by bytes', () => {
    const ring = new EventRing(cursor(1, 0), compare, 1000, 1);
    ring.append([entry(2, 1), entry(3, 2)], cursor(4, 0));
    expect(ring.size).toBe(0);
    expect(ring.covers(cursor(3, 2))).toBe(true);
    expect(ring.covers(cursor(2, 1))).toBe(false);
  });
});
