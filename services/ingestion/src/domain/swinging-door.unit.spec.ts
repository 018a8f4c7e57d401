import { StatusCodes } from './quality';
import type { Sample } from './sample';
import { SwingingDoorFilter } from './swinging-door';
import type { TagDefinition } from './tag-definition';

const tag = (compression: TagDefinition['compression']): TagDefinition => ({ id: 'T', plantId: 'p', unit: '1', compression });
const s = (timeMs: number, value: number, quality = 0): Sample => ({ tagId: 'T', timeMs, value, quality });

/** The value of the straight line through the archived samples at `t`. */
function reconstruct(archived: readonly Sample[], t: number): number {
  const i = archived.findIndex((a) => a.timeMs >= t);
  if (archived[i]!.timeMs === t) return archived[i]!.value;
  const a = archived[i - 1]!;
  const b = archived[i]!;
  return a.value + ((b.value - a.value) * (t - a.timeMs)) / (b.timeMs - a.timeMs);
}

describe('swinging-door compression', () => {
  it('keeps every dropped sample within the deviation of the line between the archived ones (random walks, several deviations)', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const deviation of [0.05, 0.5, 2]) {
      const samples: Sample[] = [];
      let v = 100;
      for (let i = 0; i < 5_000; i++) {
        v += (random() - 0.5) * 0.6 + (i % 700 < 350 ? 0.02 : -0.02);
        samples.push(s(i * 1000, v));
      }
      samples.push(s(9_000_000, v)); // 4 000 s later: maxIntervalS archives the snapshot and it
      const filter = new SwingingDoorFilter();
      const t = tag({ deviation, maxIntervalS: 4_000 });
      const archived = filter.apply(samples, () => t);
      expect(archived.length).toBeLessThan(deviation >= 2 ? samples.length / 5 : samples.length);
      let worst = 0;
      for (const x of samples) worst = Math.max(worst, Math.abs(reconstruct(archived, x.timeMs) - x.value));
      expect(worst).toBeLessThanOrEqual(deviation + 1e-9);
      expect(worst).toBeGreaterThan(deviation * 0.5); // the bound is used, not a trivial filter
    }
  });

  it('archives one point for a straight ramp until it bends, and the bend', () => {
    const filter = new SwingingDoorFilter();
    const t = tag({ deviation: 0.1 });
    const ramp = [0, 1, 2, 3, 4, 5].map((i) => s(i * 1000, i));
    const flat = [6, 7, 8].map((i) => s(i * 1000, 5));
    expect(filter.apply([...ramp, ...flat], () => t).map((x) => x.timeMs / 1000)).toEqual([0, 5]);
  });

  it('archives around a quality change or an outage, and at least every maxIntervalS', () => {
    const filter = new SwingingDoorFilter();
    const t = tag({ deviation: 1, maxIntervalS: 10 });
    const out = filter.apply([s(0, 1), s(1000, 1), s(2000, 1), s(3000, Number.NaN, StatusCodes.BadNoCommunication), s(4000, 1), s(5000, 1), s(15_000, 1)], () => t);
    // 2 before the outage at 3, the first good sample 4, then 5 and 15 when 15 comes 11 s after 4.
    expect(out.map((x) => x.timeMs / 1000)).toEqual([0, 2, 3, 4, 5, 15]);
  });

  it('drops samples within minIntervalS of the last archived one', () => {
    const filter = new SwingingDoorFilter();
    const t = tag({ deviation: 0.1, minIntervalS: 5 });
    expect(filter.apply([s(0, 0), s(1000, 10), s(2000, 0), s(6000, 0), s(7000, 10), s(8000, 10)], () => t).map((x) => x.timeMs / 1000)).toEqual([0, 6]);
  });
});
