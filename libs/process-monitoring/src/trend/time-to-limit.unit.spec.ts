import { SeededRandom } from '@reflux/reconciliation';
import { type MonitoringError } from '../monitoring.error';
import { describeTimeToLimit, timeToLimit } from './time-to-limit';

const series = (n: number, step_s: number, f: (t: number) => number) => Array.from({ length: n }, (_, i) => ({ time_s: i * step_s, value: f(i * step_s) }));

describe('timeToLimit', () => {
  it('predicts exactly 400 s for a noiseless ramp of 0.02 K/s at 92 K heading for 100 K, with a zero-width band', () => {
    const r = timeToLimit({ points: series(11, 60, (t) => 80 + 0.02 * t), limit: 100, direction: 'above' });
    expect(r.status).toBe('approaching');
    expect(r.slopePerSecond).toBeCloseTo(0.02, 12);
    expect(r.estimate_s).toBeCloseTo(400, 6);
    expect(r.earliest_s).toBeCloseTo(400, 6);
    expect(r.latest_s).toBeCloseTo(400, 6);
    expect(describeTimeToLimit('TI-101', 'HH', r)).toBe('TI-101 will reach HH in about 7 min (between 7 min and 7 min)');
  });

  it('predicts a falling level reaching its LL limit, and says so in words', () => {
    // level 60 % falling 0.5 %/min: at t = 20 min it is at 50 %, LL 35 % is 30 min away
    const r = timeToLimit({ points: series(21, 60, (t) => 60 - (0.5 * t) / 60), limit: 35, direction: 'below' });
    expect(r.estimate_s).toBeCloseTo(1800, 6);
    expect(describeTimeToLimit('LI-205', 'LL', r)).toBe('LI-205 will reach LL in about 30 min (between 30 min and 30 min)');
  });

  it('brackets the true crossing of a noisy ramp in at least 90 % of 300 replicates (90 % band), with earliest < estimate < latest', () => {
    const rng = new SeededRandom(11);
    let covered = 0;
    for (let k = 0; k < 300; k++) {
      const r = timeToLimit({ points: series(30, 60, (t) => 50 + 0.01 * t + 0.3 * rng.normal()), limit: 70, direction: 'above' });
      // true line at t = 1740 s is 67.4, so the crossing is 260 s ahead
      expect(r.earliest_s!).toBeLessThan(r.estimate_s!);
      expect(r.estimate_s!).toBeLessThan(r.latest_s ?? Infinity);
      if (r.earliest_s! <= 260 && 260 <= (r.latest_s ?? Infinity)) covered++;
    }
    expect(covered / 300).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps its estimate when one sample spikes (Huber), where least squares is pulled off by it', () => {
    const rng = new SeededRandom(21);
    const points = series(30, 60, (t) => 50 + 0.01 * t + 0.1 * rng.normal());
    points[27] = { ...points[27]!, value: points[27]!.value + 15 }; // a bad sample near the end
    const huber = timeToLimit({ points, limit: 70, direction: 'above' });
    const ols = timeToLimit({ points, limit: 70, direction: 'above', method: 'least-squares' });
    // the true crossing is 260 s ahead
    expect(Math.abs(huber.estimate_s! - 260)).toBeLessThan(40);
    expect(Math.abs(ols.estimate_s! - 260)).toBeGreaterThan(100);
    expect(huber.earliest_s!).toBeLessThanOrEqual(260);
    expect(huber.latest_s!).toBeGreaterThanOrEqual(260);
  });

  it('says a flat or receding trend is not approaching, and a value past the limit is beyond it', () => {
    const rng = new SeededRandom(3);
    expect(timeToLimit({ points: series(20, 60, (t) => 50 - 0.001 * t + 0.01 * rng.normal()), limit: 70, direction: 'above' }).status).toBe('not-approaching');
    expect(timeToLimit({ points: series(20, 60, (t) => 75 + 0.001 * t), limit: 70, direction: 'above' }).status).toBe('beyond-limit');
  });

  it('leaves the latest time open when the slope is not significant', () => {
    // +0.005 per s under ±2 alternating noise over 9 min: fitted slope ≈ 0.003, below t_0.95(8) × its standard error ≈ 0.0068
    const r = timeToLimit({ points: series(10, 60, (t) => 50 + 0.005 * t + (t % 120 === 0 ? 2 : -2)), limit: 60, direction: 'above', method: 'least-squares' });
    expect(r.status).toBe('approaching');
    expect(r.slopePerSecond).toBeCloseTo(0.005 - 600 / 297000, 10);
    expect(r.latest_s).toBeNull();
    expect(describeTimeToLimit('TI-7', 'H', r)).toMatch(/between .* and never\)$/);
  });

  it('rejects too few points and decreasing times, naming the field', () => {
    expect(() => timeToLimit({ points: [{ time_s: 0, value: 1 }], limit: 2, direction: 'above' })).toThrow(/points/);
    try {
      timeToLimit({ points: [{ time_s: 0, value: 1 }, { time_s: 60, value: 2 }, { time_s: 30, value: 3 }], limit: 5, direction: 'above' });
      throw new Error('expected a rejection');
    } catch (error) {
      expect((error as MonitoringError).violations[0]!.field).toBe('points[2].time_s');
    }
  });
});
