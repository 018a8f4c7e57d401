import type { AlarmConfiguration, TagAlarmConfig } from '../../services/safety/src/domain/alarm-config';
import { AlarmEngine } from '../../services/safety/src/domain/alarm-engine';

export interface EngineThroughput {
  readonly samplesPerSecondPerCore: number;
  readonly samples: number;
  readonly configuredTags: number;
  readonly configuredAlarms: number;
  readonly transitions: number;
  readonly cpuSeconds: number;
}

/** A configuration like a large plant's: HH/H/L/LL, rate of change and bad quality on every tag, deadband and delays. */
export function largeConfiguration(tags: number): AlarmConfiguration {
  const list: TagAlarmConfig[] = [];
  for (let i = 0; i < tags; i++)
    list.push({
      tagId: `T-${i}`,
      area: `area-${i % 20}`,
      console: `console-${i % 10}`,
      engineeringUnit: 'degC',
      limits: { HH: { value: 95, priority: 'high' }, H: { value: 90, priority: 'low' }, L: { value: 10, priority: 'low' }, LL: { value: 5, priority: 'medium' } },
      deadband: 1,
      onDelayS: 5,
      offDelayS: 10,
      rateOfChange: { maxPerS: 20, priority: 'low' },
      badQuality: { priority: 'low' },
      suppressInStates: [],
      limitsByState: {},
    });
  return { plantId: 'bench', tags: list, units: [] };
}

/**
 * Samples of `tags` tags at 1 s, each tag a random walk between 0 and 100 so limits are crossed now
 * and then, 1 in 10,000 samples of bad quality; evaluated on one thread, measured in CPU time.
 */
export function measureEngineThroughput(tags: number, samples: number): EngineThroughput {
  const engine = new AlarmEngine(largeConfiguration(tags));
  const tagIdx = new Int32Array(samples);
  const time = new Float64Array(samples);
  const value = new Float64Array(samples);
  const quality = new Uint32Array(samples);
  const walk = new Float64Array(tags).fill(50);
  let seed = 12345;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < samples; i++) {
    const t = i % tags;
    walk[t] = Math.min(100, Math.max(0, walk[t] + (random() - 0.5) * 6));
    tagIdx[i] = t;
    time[i] = t0 + Math.floor(i / tags) * 1000 + (t % 1000);
    value[i] = walk[t];
    quality[i] = random() < 1e-4 ? 0x80000000 : 0;
  }
  let transitions = 0;
  const warm = Math.min(samples, 200_000);
  for (let i = 0; i < warm; i++) engine.evaluate(tagIdx[i], time[i], value[i], quality[i]);
  transitions += engine.transitions.count;
  engine.transitions.clear();
  const cpu0 = process.cpuUsage();
  for (let i = warm; i < samples; i++) {
    engine.evaluate(tagIdx[i], time[i], value[i], quality[i]);
    if (engine.transitions.count > 4096) {
      transitions += engine.transitions.count;
      engine.transitions.clear();
    }
  }
  const cpu = process.cpuUsage(cpu0);
  transitions += engine.transitions.count;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    samplesPerSecondPerCore: Math.round((samples - warm) / cpuSeconds),
    samples: samples - warm,
    configuredTags: tags,
    configuredAlarms: engine.alarms.length,
    transitions,
    cpuSeconds: Number(cpuSeconds.toFixed(3)),
  };
}
