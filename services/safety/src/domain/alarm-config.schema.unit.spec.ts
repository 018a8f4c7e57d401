import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAlarmConfiguration } from './alarm-config.schema';
import type { SafetyError } from './safety.errors';

const fieldsOf = (document: unknown): string[] => {
  try {
    parseAlarmConfiguration(document);
  } catch (error) {
    expect((error as SafetyError).code).toBe('SAFETY.INVALID_CONFIGURATION');
    return (error as SafetyError).fieldViolations.map((v) => v.field);
  }
  throw new Error('the document was accepted');
};

const tag = (over: Record<string, unknown> = {}) => ({ tagId: 'TI-1', area: 'crude', console: 'c1', engineeringUnit: 'degC', ...over });

describe('parseAlarmConfiguration', () => {
  it('fills defaults for deadband, delays and state-based settings', () => {
    const config = parseAlarmConfiguration({ plantId: 'p', tags: [tag({ limits: { H: { value: 80, priority: 'low' } } })] });
    expect(config.tags[0]).toMatchObject({ deadband: 0, onDelayS: 0, offDelayS: 0, suppressInStates: [], limitsByState: {} });
    expect(config.units).toEqual([]);
  });

  it('fills trend-prediction defaults, and refuses a trend on a tag without limits or with a bad confidence', () => {
    const config = parseAlarmConfiguration({ plantId: 'p', tags: [tag({ limits: { H: { value: 80, priority: 'low' } }, trend: { horizonS: 900 } })] });
    expect(config.tags[0]!.trend).toEqual({ windowS: 600, horizonS: 900, confidence: 0.9, everyS: 10, consecutive: 3, minPoints: 10 });
    expect(fieldsOf({ plantId: 'p', tags: [tag({ trend: {} })] })).toEqual(['tags.0.trend']);
    expect(fieldsOf({ plantId: 'p', tags: [tag({ limits: { H: { value: 80, priority: 'low' } }, trend: { confidence: 1.5 } })] })).toEqual(['tags.0.trend.confidence']);
  });

  it('names each bad field', () => {
    expect(fieldsOf({ plantId: 'p', tags: [tag({ limits: { H: { value: 'x', priority: 'urgent' } }, deadband: -1 })] })).toEqual([
      'tags.0.limits.H.value',
      'tags.0.limits.H.priority',
      'tags.0.deadband',
    ]);
  });

  it('requires limits ordered LL < L < H < HH, also per unit state', () => {
    const units = [{ unitId: 'U-1', area: 'crude', rule: { kind: 'runStatus', tagId: 'U-1.RUN', states: { '1': 'running' } } }];
    expect(
      fieldsOf({
        plantId: 'p',
        units,
        tags: [tag({ unitId: 'U-1', limits: { L: { value: 10, priority: 'low' }, H: { value: 5, priority: 'low' } }, limitsByState: { startup: { L: 3, HH: 1 } } })],
      }),
    ).toEqual(['tags.0.limits.H', 'tags.0.limitsByState.startup.HH', 'tags.0.limitsByState.startup.HH']);
  });

  it('refuses duplicates, unknown units and state rules without a unit', () => {
    expect(fieldsOf({ plantId: 'p', tags: [tag({ unitId: 'nope' }), tag({ suppressInStates: ['shutdown'] })] })).toEqual(['tags.0.unitId', 'tags.1.tagId', 'tags.1.unitId']);
  });

  it.each(['petrochemical', 'steelworks'])('accepts the shipped %s demo configuration', (plant) => {
    const document = JSON.parse(readFileSync(join(__dirname, '../../config', `demo-${plant}.alarms.json`), 'utf8'));
    const config = parseAlarmConfiguration(document);
    expect(config.tags.length).toBeGreaterThan(5);
    expect(config.units.length).toBeGreaterThan(0);
  });
});
