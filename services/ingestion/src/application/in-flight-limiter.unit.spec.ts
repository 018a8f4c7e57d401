import { InFlightLimiter } from './in-flight-limiter';

describe('InFlightLimiter', () => {
  it('admits within capacity, then queues first come first served until released', async () => {
    const l = new InFlightLimiter(10);
    await l.acquire(6);
    const order: string[] = [];
    const a = l.acquire(6).then(() => order.push('a'));
    const b = l.acquire(1).then(() => order.push('b'));
    await Promise.resolve();
    expect(order).toEqual([]);
    expect(l.waiting).toBe(2);
    l.release(6);
    await Promise.all([a, b]);
    expect(order).toEqual(['a', 'b']);
    expect(l.inFlight).toBe(7);
  });

  it('admits a request larger than the capacity when nothing else is in flight', async () => {
    const l = new InFlightLimiter(10);
    await l.acquire(25);
    expect(l.inFlight).toBe(25);
  });
});
