import type { AlarmActivation } from './alarm-kpis';
import { computeAlarmKpis } from './alarm-kpis';

const s = (seconds: number) => seconds * 1000;
const act = (alarmId: string, raisedS: number, priority: AlarmActivation['priority'] = 'low', clearedS?: number, console = 'console-1'): AlarmActivation => ({
  alarmId,
  area: 'crude',
  console,
  priority,
  raisedAtMs: s(raisedS),
  ...(clearedS !== undefined && { clearedAtMs: s(clearedS) }),
});

// One hour [0 s, 3600 s) on console-1, counted by hand:
//   TI-1/H at 0, 20, 50 s            3 activations within 50 s: chattering
//   F-1/H … F-11/H at 600…700 s      11 in the second 10-min interval: one flood interval
//   PI-2/HH (high) at 1300 s
//   LI-3/L (medium) at 1800, 1900 s  2 activations, 100 s apart: not chattering
//   TI-9/H raised 25 h before the end, never cleared: stale (raised before the period, not counted)
//   TI-8/H raised 25 h before the end, cleared before it: not stale
const history: AlarmActivation[] = [
  act('TI-1/H', 0, 'low', 5),
  act('TI-1/H', 20, 'low', 25),
  act('TI-1/H', 50, 'low', 55),
  ...Array.from({ length: 11 }, (_, i) => act(`F-${i + 1}/H`, 600 + i * 10, 'low', 900)),
  act('PI-2/HH', 1300, 'high'),
  act('LI-3/L', 1800, 'medium', 1850),
  act('LI-3/L', 1900, 'medium'),
  act('TI-9/H', 3600 - 25 * 3600),
  act('TI-8/H', 3600 - 25 * 3600, 'low', 100),
  act('XI-1/H', 100, 'high', undefined, 'console-2'),
];

describe('computeAlarmKpis', () => {
  const [c1, c2] = computeAlarmKpis(history, { startMs: 0, endMs: s(3600) }, 'console');

  it('counts activations per operator per 10 min, hour and day over the period', () => {
    expect(c1.key).toBe('console-1');
    expect(c1.activations).toBe(17);
    expect(c1.alarmsPerHour).toBe(17);
    expect(c1.alarmsPer10Min).toBeCloseTo(17 / 6, 12);
    expect(c1.alarmsPerDay).toBe(408);
  });

  it('finds the peak 10-min interval and the time in flood (more than 10 alarms in 10 min)', () => {
    expect(c1.peakAlarmsPer10Min).toBe(11);
    expect(c1.floodIntervals).toBe(1);
    expect(c1.floodTimeS).toBe(600);
    expect(c1.floodTimeShare).toBeCloseTo(1 / 6, 12);
  });

  it('names chattering (3 activations within 60 s) and stale (active over 24 h) alarms', () => {
    expect(c1.chatteringAlarms).toEqual(['TI-1/H']);
    expect(c1.staleAlarms).toEqual(['TI-9/H']);
  });

  it('ranks the top-10 bad actors and their share of all activations', () => {
    expect(c1.topBadActors.slice(0, 3)).toEqual([
      { alarmId: 'TI-1/H', activations: 3, share: 3 / 17 },
      { alarmId: 'LI-3/L', activations: 2, share: 2 / 17 },
      { alarmId: 'F-1/H', activations: 1, share: 1 / 17 },
    ]);
    expect(c1.topBadActors).toHaveLength(10);
    expect(c1.topTenShare).toBeCloseTo(13 / 17, 12);
  });

  it('reports the priority distribution (to compare with 80/15/5)', () => {
    expect(c1.priorityShare).toEqual({ low: 14 / 17, medium: 2 / 17, high: 1 / 17 });
  });

  it('keeps consoles apart and groups by area on request', () => {
    expect(c2).toMatchObject({ key: 'console-2', activations: 1, priorityShare: { low: 0, medium: 0, high: 1 }, chatteringAlarms: [], floodIntervals: 0 });
    const [area] = computeAlarmKpis(history, { startMs: 0, endMs: s(3600) }, 'area');
    expect(area).toMatchObject({ key: 'crude', activations: 18 });
  });
});
