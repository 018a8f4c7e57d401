import { parseAlarmConfiguration } from './alarm-config.schema';
import { compareReplays, replayAlarms, type ReplaySample } from './alarm-replay';

const T0 = Date.UTC(2026, 0, 7, 0, 0, 0);
const units = [{ unitId: 'K-1', area: 'gas', rule: { kind: 'thresholds', signals: [{ tagId: 'SI-1', minRunning: 1000 }], delayS: 0 } }];
const tags = (ti: object, pi: object) => [
  { tagId: 'TI-1', area: 'gas', console: 'c1', engineeringUnit: 'degC', limits: { H: { value: 80, priority: 'low' } }, ...ti },
  { tagId: 'PI-1', area: 'gas', console: 'c1', unitId: 'K-1', engineeringUnit: 'barg', ...pi },
  { tagId: 'SI-1', area: 'gas', console: 'c1', unitId: 'K-1', engineeringUnit: 'rpm' },
];
const live = parseAlarmConfiguration({ plantId: 'p', units, tags: tags({}, { limits: { H: { value: 5, priority: 'high' } } }) });
const candidate = parseAlarmConfiguration({ plantId: 'p', units, tags: tags({ onDelayS: 5, deadband: 1 }, { limits: { H: { value: 6, priority: 'high' } } }) });

/** TI-1 flips 79/81 K each second for 10 s, back at 79 K from 10 s; PI-1 climbs 0.1 bar/s from 0 (5 bar at 50 s, 6 bar at 60 s); the compressor SI-1 stops at 100 s. */
function samples(): ReplaySample[] {
  const out: ReplaySample[] = [];
  for (let t = 0; t < 120; t++) {
    if (t <= 10) out.push({ tagId: 'TI-1', timeMs: T0 + t * 1000, value: t % 2 === 0 ? 79 : 81, quality: 0 });
    out.push({ tagId: 'PI-1', timeMs: T0 + t * 1000 + 1, value: Math.min(8, 0.1 * t), quality: 0 });
    out.push({ tagId: 'SI-1', timeMs: T0 + t * 1000 + 2, value: t < 100 ? 1500 : 0, quality: 0 });
  }
  return out;
}

describe('alarm replay', () => {
  it('counts the live chattering TI-1/H (5 activations in 10 s), which the candidate’s 5 s on-delay avoids', () => {
    const end = T0 + 120_000;
    const cmp = compareReplays(replayAlarms(live, samples(), end), replayAlarms(candidate, samples(), end), { startMs: T0, endMs: end }, 30 * 60_000);
    expect(cmp.live.activations).toBe(6); // TI-1/H × 5 + PI-1/H
    expect(cmp.candidate.activations).toBe(1);
    expect(cmp.alarmsAvoided).toBe(5);
    expect(cmp.live.chatteringAlarms).toEqual(['TI-1/H']);
    expect(cmp.candidate.chatteringAlarms).toEqual([]);
  });

  it('measures how long before the compressor trip each configuration alarmed on its unit (49 s live, 39 s with the higher limit)', () => {
    const end = T0 + 120_000;
    const cmp = compareReplays(replayAlarms(live, samples(), end), replayAlarms(candidate, samples(), end), { startMs: T0, endMs: end }, 30 * 60_000);
    // PI-1 above 5 bar at 51 s (5.1), above 6 bar at 61 s; the trip at 100 s
    expect(cmp.incidents).toEqual([{ unitId: 'K-1', trippedAtMs: T0 + 100_002, liveLeadS: 49.001, candidateLeadS: 39.001 }]);
  });
});
