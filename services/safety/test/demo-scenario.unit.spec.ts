import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDemoPlant, PlantGraph } from '@reflux/plant-model';
import { createSampleGenerator, dailyDemoScenario, DEMO_TARGETS } from '@reflux/plant-simulation';
import { parseAlarmConfiguration } from '../src/domain/alarm-config.schema';
import { replayAlarms, type ReplaySample } from '../src/domain/alarm-replay';
import { TrendWatch } from '../src/domain/trend-watch';

const DAY = Date.UTC(2026, 0, 5);
const HOUR = 3_600_000;
const QUALITY = { good: 0, uncertain: 0x40000000, bad: 0x80000000 } as const;

/**
 * The demo scenario (the simulator's day: exchanger fouling all day, a compressor trip at 03:20)
 * through the shipped alarm configuration and the trend watch, without the launcher.
 */
describe('demo petrochemical scenario through the alarm engine', () => {
  const model = loadDemoPlant('petrochemical');
  const graph = new PlantGraph(model);
  const generator = createSampleGenerator(graph, dailyDemoScenario(graph, DAY, 42));
  const config = parseAlarmConfiguration(JSON.parse(readFileSync(join(__dirname, '..', 'config', 'demo-petrochemical.alarms.json'), 'utf8')));
  const sample = (tagId: string, t: number): ReplaySample => {
    const s = generator.sample(tagId, t);
    return { tagId, timeMs: t, value: s.value, quality: QUALITY[s.quality] };
  };

  it('warns of the fouling exchanger’s outlet temperature reaching its limit before the alarm is raised', () => {
    const trended = config.tags.filter((t) => t.trend);
    expect(trended.length).toBeGreaterThan(0);
    for (const tag of trended) {
      const samples: ReplaySample[] = [];
      for (let t = DAY; t < DAY + 10 * HOUR; t += 10_000) samples.push(sample(tag.tagId, t));
      const firstAlarm = replayAlarms(config, samples, DAY + 10 * HOUR).activations.find((a) => a.alarmId.startsWith(`${tag.tagId}/`));
      expect(firstAlarm).toBeDefined();
      const watch = new TrendWatch(tag.tagId, tag.trend!);
      const limits = Object.fromEntries(Object.entries(tag.limits).map(([k, l]) => [k, l!.value]));
      const firstWarning = samples.flatMap((s) => watch.push(s.timeMs, s.value, limits)).find((d) => d.type === 'raise');
      expect(firstWarning).toBeDefined();
      // the warning names the limit the alarm then crosses, and comes at least 10 minutes before it
      // (seed 42: TI-1030 warned 01:37, H alarm 04:43; TI-1008 warned 02:46, L alarm 07:56)
      expect(`${tag.tagId}/${firstWarning!.limitKind}`).toBe(firstAlarm!.alarmId);
      expect(firstWarning!.atMs).toBeLessThan(firstAlarm!.raisedAtMs - 10 * 60_000);
    }
  });

  it('sees the compressor trip from the simulated power meter (UnitTripped) and suppresses the machine’s low alarms', () => {
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
