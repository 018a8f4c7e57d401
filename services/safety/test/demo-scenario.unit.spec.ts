import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDemoPlant, PlantGraph, type DemoPlantName } from '@reflux/plant-model';
import { createSampleGenerator, CYCLIC_FOULING, dailyDemoScenario, DEMO_TARGETS } from '@reflux/plant-simulation';
import { parseAlarmConfiguration } from '../src/domain/alarm-config.schema';
import { replayAlarms, type ReplaySample } from '../src/domain/alarm-replay';
import { TrendWatch } from '../src/domain/trend-watch';

const DAY = Date.UTC(2026, 0, 5);
const HOUR = 3_600_000;
const QUALITY = { good: 0, uncertain: 0x40000000, bad: 0x80000000 } as const;

function demo(name: DemoPlantName) {
  const model = loadDemoPlant(name);
  const graph = new PlantGraph(model);
  const generator = createSampleGenerator(graph, dailyDemoScenario(graph, DAY, 42));
  const config = parseAlarmConfiguration(JSON.parse(readFileSync(join(__dirname, '..', 'config', `demo-${name}.alarms.json`), 'utf8')));
  const sample = (tagId: string, t: number): ReplaySample => {
    const s = generator.sample(tagId, t);
    return { tagId, timeMs: t, value: s.value, quality: QUALITY[s.quality] };
  };
  const series = (tagId: string, fromMs: number, toMs: number, stepMs: number) => {
    const samples: ReplaySample[] = [];
    for (let t = fromMs; t < toMs; t += stepMs) samples.push(sample(tagId, t));
    return samples;
  };
  /** The first trend warning of each episode (a raise after the previous one cleared). */
  const warnings = (tag: (typeof config.tags)[number], samples: readonly ReplaySample[]) => {
    const watch = new TrendWatch(tag.tagId, tag.trend!);
    const limits = Object.fromEntries(Object.entries(tag.limits).map(([k, l]) => [k, l!.value]));
    return samples.flatMap((s) => watch.push(s.timeMs, s.value, limits)).filter((d) => d.type === 'raise');
  };
  return { model, config, sample, series, warnings };
}

/**
 * The demo scenario (the simulator's day: exchanger fouling, a compressor trip at 03:20 of each
 * four-hour cycle) through the shipped alarm configuration and the trend watch, without the launcher.
 */
describe('demo petrochemical scenario through the alarm engine', () => {
  const { config, series, warnings } = demo('petrochemical');

  it('warns of the fouling exchanger’s outlet temperature reaching its limit before the alarm is raised', () => {
    const trended = config.tags.filter((t) => t.trend);
    expect(trended.length).toBeGreaterThan(0);
    for (const tag of trended) {
      const samples = series(tag.tagId, DAY, DAY + 10 * HOUR, 10_000);
      const firstAlarm = replayAlarms(config, samples, DAY + 10 * HOUR).activations.find((a) => a.alarmId.startsWith(`${tag.tagId}/`));
      expect(firstAlarm).toBeDefined();
      const firstWarning = warnings(tag, samples)[0];
      expect(firstWarning).toBeDefined();
      // the warning names the limit the alarm then crosses, and comes at least 10 minutes before it
      // (seed 42: TI-1030 warned 01:37, H alarm 04:43; TI-1008 warned 02:46, L alarm 07:56)
      expect(`${tag.tagId}/${firstWarning!.limitKind}`).toBe(firstAlarm!.alarmId);
      expect(firstWarning!.atMs).toBeLessThan(firstAlarm!.raisedAtMs - 10 * 60_000);
    }
  });
});

describe('demo steelworks scenario through the alarm engine', () => {
  const { config, series, warnings } = demo('steelworks');

  it('warns of the fouling condenser’s cooling-water return reaching its limit long before the alarm, which clears at the cleaning, in every cycle', () => {
    const trended = config.tags.filter((t) => t.trend);
    expect(trended.map((t) => t.tagId)).toEqual(['TI-9037']);
    const tag = trended[0]!;
    const samples = series(tag.tagId, DAY, DAY + 24 * HOUR, 10_000);
    const activations = replayAlarms(config, samples, DAY + 24 * HOUR).activations.filter((a) => a.alarmId.startsWith(`${tag.tagId}/`));
    const raised = warnings(tag, samples);
    // one L alarm per four-hour cycle, raised while the condenser fouls, cleared within a minute of its cleaning and off-delay
    expect(activations.map((a) => a.alarmId)).toEqual(Array(6).fill('TI-9037/L'));
    for (const [cycle, alarm] of activations.entries()) {
      const start = DAY + cycle * 4 * HOUR;
      const cleaned = start + (CYCLIC_FOULING.startS + CYCLIC_FOULING.durationS) * 1000;
      expect(alarm.raisedAtMs).toBeGreaterThan(start + CYCLIC_FOULING.startS * 1000);
      expect(alarm.raisedAtMs).toBeLessThan(cleaned);
      expect(alarm.clearedAtMs).toBeGreaterThanOrEqual(cleaned);
      expect(alarm.clearedAtMs).toBeLessThanOrEqual(cleaned + (tag.offDelayS + 60) * 1000);
      // the cycle's trend warning names the L limit and comes at least 20 min before the alarm (seed 42: 30–60 min)
      const warning = raised.find((w) => w.atMs >= start && w.atMs < alarm.raisedAtMs);
      expect(warning?.limitKind).toBe('L');
      expect(warning!.atMs).toBeLessThan(alarm.raisedAtMs - 20 * 60_000);
    }
  });
});

describe.each(['petrochemical', 'steelworks'] as const)('demo %s trip through the alarm engine', (name) => {
  const { model, config, sample } = demo(name);

  it('sees the machine trip from the simulated power meter (UnitTripped) and suppresses the machine’s low alarms', () => {
    const machine = DEMO_TARGETS[model.plantId]!.trippingMachine;
    const unit = config.units.find((u) => u.unitId === machine)!;
    const tags = [...new Set([...(unit.rule.kind === 'thresholds' ? unit.rule.signals.map((s) => s.tagId) : [unit.rule.tagId]), ...config.tags.filter((t) => t.unitId === machine).map((t) => t.tagId)])];
    const samples: ReplaySample[] = [];
    for (let t = DAY + 3 * HOUR; t < DAY + 4 * HOUR; t += 5000) for (const tagId of tags) samples.push(sample(tagId, t));
    const run = replayAlarms(config, samples, DAY + 4 * HOUR);
    expect(run.trips).toHaveLength(1);
    expect(run.trips[0]!.unitId).toBe(machine);
    // the trip starts at 03:20; the rule's 5 s delay and the meter's fall put it within the first minute
    expect(run.trips[0]!.atMs).toBeGreaterThanOrEqual(DAY + 3 * HOUR + 20 * 60_000);
    expect(run.trips[0]!.atMs).toBeLessThan(DAY + 3 * HOUR + 21 * 60_000);
    const lowDuringTrip = run.activations.filter((a) => /\/(L|LL)$/.test(a.alarmId) && a.raisedAtMs > run.trips[0]!.atMs && a.raisedAtMs < DAY + 3 * HOUR + 40 * 60_000 && tags.includes(a.alarmId.split('/')[0]!));
    expect(lowDuringTrip.filter((a) => config.tags.find((t) => `${t.tagId}/L` === a.alarmId || `${t.tagId}/LL` === a.alarmId)?.unitId === machine)).toEqual([]);
  });
});
