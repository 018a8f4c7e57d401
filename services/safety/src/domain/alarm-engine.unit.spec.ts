import type { AlarmConfiguration, TagAlarmConfig, UnitConfig } from './alarm-config';
import { AlarmEngine, SampleOutcome } from './alarm-engine';

const tag = (over: Partial<TagAlarmConfig> & { tagId: string }): TagAlarmConfig => ({
  area: 'crude',
  console: 'console-1',
  engineeringUnit: 'degC',
  limits: {},
  deadband: 0,
  onDelayS: 0,
  offDelayS: 0,
  suppressInStates: [],
  limitsByState: {},
  ...over,
});
const engineOf = (tags: TagAlarmConfig[], units: UnitConfig[] = []) => new AlarmEngine({ plantId: 'p', tags, units } satisfies AlarmConfiguration);

/** Feeds `[seconds, value, quality?]` samples of one tag and returns the transitions as `[alarmId, active, seconds, value]`. */
function run(engine: AlarmEngine, tagId: string, samples: [number, number, number?][]) {
  const t = engine.tagIndex(tagId);
  for (const [s, v, q] of samples) engine.evaluate(t, s * 1000, v, q ?? 0);
  return drain(engine);
}
function drain(engine: AlarmEngine) {
  const b = engine.transitions;
  const out: [string, boolean, number, number][] = [];
  for (let i = 0; i < b.count; i++) out.push([engine.alarms[b.alarm[i]].alarmId, b.active[i] === 1, b.atMs[i] / 1000, b.value[i]]);
  b.clear();
  return out;
}

describe('AlarmEngine', () => {
  it('raises H above the limit and clears it only at or below limit − deadband', () => {
    const e = engineOf([tag({ tagId: 'TI-1', limits: { H: { value: 80, priority: 'low' } }, deadband: 2 })]);
    expect(run(e, 'TI-1', [[0, 79], [1, 80], [2, 80.5], [3, 79], [4, 78.5], [5, 78], [6, 79]])).toEqual([
      ['TI-1/H', true, 2, 80.5],
      ['TI-1/H', false, 5, 78],
    ]);
  });

  it('raises LL below its limit and clears at or above limit + deadband', () => {
    const e = engineOf([tag({ tagId: 'LI-1', limits: { LL: { value: 10, priority: 'high' } }, deadband: 1 })]);
    expect(run(e, 'LI-1', [[0, 9.9], [1, 10.5], [2, 11]])).toEqual([
      ['LI-1/LL', true, 0, 9.9],
      ['LI-1/LL', false, 2, 11],
    ]);
  });

  it('raises after the on-delay at the exact instant it runs out, with the value held since the last sample', () => {
    const e = engineOf([tag({ tagId: 'PI-1', limits: { HH: { value: 10, priority: 'high' } }, onDelayS: 5 })]);
    // above from t=10; the sample at t=17 comes after the delay ended at t=15
    expect(run(e, 'PI-1', [[9, 9], [10, 11], [12, 12], [17, 13]])).toEqual([['PI-1/HH', true, 15, 12]]);
  });

  it('does not raise when the condition goes away within the on-delay', () => {
    const e = engineOf([tag({ tagId: 'PI-1', limits: { HH: { value: 10, priority: 'high' } }, onDelayS: 5 })]);
    expect(run(e, 'PI-1', [[10, 11], [14.999, 9], [15, 11], [19, 11]])).toEqual([]);
    expect(run(e, 'PI-1', [[20, 11]])).toEqual([['PI-1/HH', true, 20, 11]]);
  });

  it('clears after the off-delay, and a return within it keeps the alarm active', () => {
    const e = engineOf([tag({ tagId: 'PI-1', limits: { H: { value: 10, priority: 'low' } }, offDelayS: 3 })]);
    expect(run(e, 'PI-1', [[0, 11], [1, 9], [3, 11], [4, 9], [6, 9], [7, 9.5]])).toEqual([
      ['PI-1/H', true, 0, 11],
      ['PI-1/H', false, 7, 9],
    ]);
  });

  it('advanceTo completes a delay on a quiet tag, and a sample older than that transition is then late', () => {
    const e = engineOf([tag({ tagId: 'PI-1', limits: { H: { value: 10, priority: 'low' } }, onDelayS: 5 })]);
    run(e, 'PI-1', [[0, 11]]);
    e.advanceTo(4_000);
    expect(drain(e)).toEqual([]);
    e.advanceTo(60_000);
    expect(drain(e)).toEqual([['PI-1/H', true, 5, 11]]);
    expect(e.evaluate(e.tagIndex('PI-1'), 4_000, 5, 0)).toBe(SampleOutcome.Late);
    expect(drain(e)).toEqual([]);
  });

  it('ignores late, duplicate and out-of-order samples instead of raising or clearing twice', () => {
    const e = engineOf([tag({ tagId: 'TI-1', limits: { H: { value: 80, priority: 'low' } } })]);
    const t = e.tagIndex('TI-1');
    expect(run(e, 'TI-1', [[10, 85], [10, 85], [5, 70], [11, 70], [9, 90], [11, 70]])).toEqual([
      ['TI-1/H', true, 10, 85],
      ['TI-1/H', false, 11, 70],
    ]);
    expect(e.late).toBe(4);
    expect(e.evaluate(e.tagIndex('unknown'), 0, 1, 0)).toBe(SampleOutcome.Untracked);
    expect(t).toBe(0);
  });

  it('raises rate of change between consecutive samples in either direction', () => {
    const e = engineOf([tag({ tagId: 'TI-1', rateOfChange: { maxPerS: 1, priority: 'medium' } })]);
    expect(run(e, 'TI-1', [[0, 50], [10, 59], [12, 63], [14, 64], [16, 61], [18, 61]])).toEqual([
      ['TI-1/ROC', true, 12, 63],
      ['TI-1/ROC', false, 14, 64],
      ['TI-1/ROC', true, 16, 61],
      ['TI-1/ROC', false, 18, 61],
    ]);
  });

  it('raises deviation from a fixed setpoint and from a setpoint tag', () => {
    const e = engineOf([
      tag({ tagId: 'FI-1', deviation: { setpoint: 100, max: 5, priority: 'low' } }),
      tag({ tagId: 'TI-2', deviation: { setpointTagId: 'TC-2.SP', max: 2, priority: 'low' } }),
    ]);
    expect(run(e, 'FI-1', [[0, 104], [1, 94], [2, 100]])).toEqual([
      ['FI-1/DEV', true, 1, 94],
      ['FI-1/DEV', false, 2, 100],
    ]);
    expect(run(e, 'TI-2', [[0, 300]])).toEqual([]); // no setpoint known yet
    run(e, 'TC-2.SP', [[1, 310]]);
    expect(run(e, 'TI-2', [[2, 300], [3, 309]])).toEqual([
      ['TI-2/DEV', true, 2, 300],
      ['TI-2/DEV', false, 3, 309],
    ]);
  });

  it('raises bad quality and holds value alarms through bad samples', () => {
    const e = engineOf([tag({ tagId: 'TI-1', limits: { H: { value: 80, priority: 'low' } }, badQuality: { priority: 'low' } })]);
    expect(run(e, 'TI-1', [[0, 85], [1, 0, 0x80000000], [2, 0, 0x80340000], [3, 70, 0x40000000], [4, 70]])).toEqual([
      ['TI-1/H', true, 0, 85],
      ['TI-1/BAD', true, 1, 0],
      ['TI-1/H', false, 3, 70],
      ['TI-1/BAD', false, 3, 70],
    ]);
  });

  it('raises a discrepancy between redundant transmitters', () => {
    const e = engineOf([tag({ tagId: 'PT-1A', discrepancy: { redundantTagId: 'PT-1B', max: 0.5, priority: 'medium' } })]);
    run(e, 'PT-1B', [[0, 10]]);
    expect(run(e, 'PT-1A', [[1, 10.4], [2, 10.6], [3, 10.2]])).toEqual([
      ['PT-1A/DISC', true, 2, 10.6],
      ['PT-1A/DISC', false, 3, 10.2],
    ]);
  });

  it('switches limits with the unit state derived from its flows (state-based alarming)', () => {
    const e = engineOf(
      [tag({ tagId: 'FI-9', unitId: 'K-1', limits: { L: { value: 50, priority: 'medium' } }, limitsByState: { shutdown: { L: -1 }, tripped: { L: -1 } } })],
      [{ unitId: 'K-1', area: 'crude', rule: { kind: 'thresholds', signals: [{ tagId: 'SI-9', minRunning: 1000 }], delayS: 10 } }],
    );
    run(e, 'SI-9', [[0, 3000], [9, 3000]]);
    expect(e.unitTransitions).toEqual([]);
    run(e, 'SI-9', [[10, 3000]]);
    expect(e.unitTransitions).toEqual([{ unitIndex: 0, unitId: 'K-1', from: 'unknown', to: 'running', atMs: 10_000, trip: false }]);
    expect(run(e, 'FI-9', [[11, 40]])).toEqual([['FI-9/L', true, 11, 40]]);
    run(e, 'SI-9', [[15, 100], [26, 50]]);
    expect(e.unitTransitions[1]).toEqual({ unitIndex: 0, unitId: 'K-1', from: 'running', to: 'tripped', atMs: 25_000, trip: true });
    expect(e.effectiveLimit(0)).toBe(-1);
    expect(run(e, 'FI-9', [[27, 0]])).toEqual([['FI-9/L', false, 27, 0]]);
  });

  it('restores a tag exported mid-delay so a restart neither loses nor repeats a transition', () => {
    const config = [tag({ tagId: 'PI-1', limits: { H: { value: 10, priority: 'low' } }, onDelayS: 5 })];
    const a = engineOf(config);
    run(a, 'PI-1', [[0, 11], [2, 12]]);
    const saved = JSON.parse(JSON.stringify(a.exportTag(0)));
    const b = engineOf(config);
    b.importTag(0, saved);
    expect(run(b, 'PI-1', [[2, 12], [6, 12]])).toEqual([['PI-1/H', true, 5, 12]]);
    expect(b.late).toBe(1);
  });
});
