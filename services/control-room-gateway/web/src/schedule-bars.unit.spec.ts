import { horizonOf, scheduleBars, type ScheduleDoc } from './schedule-bars';

const H = 3600_000;
const T0 = Date.UTC(2026, 0, 15, 6);
const doc = (modes: string[], extra: Partial<ScheduleDoc> = {}): ScheduleDoc => ({
  scheduleId: 's',
  state: 'published',
  horizonStart: new Date(T0).toISOString(),
  periods: modes.length,
  periodHours: 1,
  frozenPeriods: 1,
  units: [{ unitId: 'U1', periods: modes.map((m, period) => ({ period, modeId: m === '-' ? '' : m === 'x' ? '' : m, throughputT: 10, changingOver: m === '-', available: m !== 'x' })) }],
  ...extra,
});

describe('schedule as Gantt bars', () => {
  it('joins consecutive periods of the same mode into one bar with the summed throughput', () => {
    const bars = scheduleBars(doc(['a', 'a', '-', 'b', 'x']), 'published');
    expect(bars.map((b) => [b.kind, b.modeId, (b.startMs - T0) / H, (b.endMs - T0) / H, b.throughputT])).toEqual([
      ['mode', 'a', 0, 2, 20],
      ['changeover', '', 2, 3, 10],
      ['mode', 'b', 3, 4, 10],
      ['unavailable', '', 4, 5, 10],
    ]);
  });

  it('marks a proposed bar that differs from the published schedule in any of its periods', () => {
    const published = doc(['a', 'a', 'a', 'a']);
    const bars = scheduleBars(doc(['a', 'a', 'b', 'b'], { state: 'proposed' }), 'proposed', published);
    expect(bars.map((b) => [b.modeId, b.changed])).toEqual([['a', false], ['b', true]]);
  });

  it('spans both horizons', () => {
    expect(horizonOf([doc(['a', 'a']), doc(['a'], { horizonStart: new Date(T0 + H).toISOString(), periods: 4 }), null])).toEqual({ startMs: T0, endMs: T0 + 5 * H });
    expect(horizonOf([null, null])).toBeUndefined();
  });
});
