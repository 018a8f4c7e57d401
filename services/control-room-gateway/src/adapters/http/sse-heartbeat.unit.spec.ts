import { SseHeartbeat } from './sse-heartbeat';

describe('shared SSE heartbeat', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('beats every open stream from one timer, and stops the timer when the last stream closes', () => {
    const heartbeat = new SseHeartbeat(1000);
    const beats = [0, 0, 0];
    const removes = beats.map((_, i) => heartbeat.add({ heartbeat: () => beats[i]++ }));
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(2500);
    expect(beats).toEqual([2, 2, 2]);
    removes[1]();
    jest.advanceTimersByTime(1000);
    expect(beats).toEqual([3, 2, 3]);
    removes[0]();
    removes[2]();
    expect(jest.getTimerCount()).toBe(0);
    expect(heartbeat.size).toBe(0);
  });
});
