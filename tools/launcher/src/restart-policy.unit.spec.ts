import { decideRestart, DEFAULT_RESTART_POLICY } from './restart-policy';

const MIN = 60_000;

describe('restart policy of the launcher', () => {
  it('restarts a crashed service after 1 s, then doubles the delay for crashes close together', () => {
    expect(decideRestart([], 10 * MIN)).toEqual({ restart: true, delayMs: 1_000, crashesInWindow: 1 });
    expect(decideRestart([10 * MIN], 10.5 * MIN)).toEqual({ restart: true, delayMs: 2_000, crashesInWindow: 2 });
    expect(decideRestart([10 * MIN, 10.5 * MIN], 11 * MIN)).toEqual({ restart: true, delayMs: 4_000, crashesInWindow: 3 });
  });

  it('starts again from 1 s once earlier crashes are older than the window', () => {
    expect(decideRestart([0, MIN, 2 * MIN], 60 * MIN)).toEqual({ restart: true, delayMs: 1_000, crashesInWindow: 1 });
  });

  it('gives up at the fifth crash within five minutes', () => {
    expect(decideRestart([0, 10_000, 20_000, 30_000], 40_000)).toEqual({ restart: false, crashesInWindow: 5 });
    expect(DEFAULT_RESTART_POLICY.maxCrashes).toBe(5);
  });

  it('caps the delay', () => {
    const policy = { ...DEFAULT_RESTART_POLICY, maxCrashes: 100 };
    const crashes = Array.from({ length: 20 }, (_, i) => i * 1000);
    expect(decideRestart(crashes, 21_000, policy)).toMatchObject({ restart: true, delayMs: 30_000 });
  });
});
