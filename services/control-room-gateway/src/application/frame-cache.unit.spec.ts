import type { LogCursor } from './event-log.port';
import { FrameCache } from './frame-cache';
import type { StoredIntegrationEvent } from '../domain/wire-event';

const cursor = (pos: number): LogCursor => ({ transactionId: String(100 + pos), globalPosition: pos });
const event = (pos: number, note = ''): StoredIntegrationEvent => ({
  streamId: 'integration-x',
  globalPosition: pos,
  eventId: `e${pos}`,
  type: 'LossSuspected',
  schemaVersion: 1,
  data: { unitId: 'U-1', note },
  metadata: { source: 'test' },
  recordedAt: new Date(0),
});

describe('frame cache of catch-up events', () => {
  it('serialises an event once for every reader of its position', () => {
    const cache = new FrameCache(10, 1 << 20);
    const first = cache.entryOf(event(7), cursor(7));
    const second = cache.entryOf(event(7), cursor(7));
    expect(second).toBe(first);
    expect(cache.serialised).toBe(1);
    expect(first.sseFrame.toString()).toBe(`id: 7\ndata: ${first.json}\n\n`);
  });

  it('drops the oldest frames beyond its count bound', () => {
    const cache = new FrameCache(2, 1 << 20);
    for (const p of [1, 2, 3]) cache.entryOf(event(p), cursor(p));
    expect(cache.size).toBe(2);
    cache.entryOf(event(3), cursor(3));
    expect(cache.serialised).toBe(3);
    cache.entryOf(event(1), cursor(1));
    expect(cache.serialised).toBe(4);
  });

  it('stays within its byte bound and does not keep a frame larger than the bound', () => {
    const cache = new FrameCache(1000, 10_000);
    for (let p = 1; p <= 20; p++) cache.entryOf(event(p, 'x'.repeat(1000)), cursor(p));
    expect(cache.sizeBytes).toBeLessThanOrEqual(10_000);
    expect(cache.size).toBeGreaterThan(0);
    cache.entryOf(event(99, 'y'.repeat(20_000)), cursor(99));
    expect(cache.sizeBytes).toBeLessThanOrEqual(10_000);
    cache.entryOf(event(99, 'y'.repeat(20_000)), cursor(99));
    expect(cache.serialised).toBe(22);
  });
});
