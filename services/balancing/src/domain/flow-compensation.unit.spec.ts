import { checkPlantModel, PlantGraph } from '@reflux/plant-model';
import { reconcile, steamDensity } from '@reflux/reconciliation';
import { buildPlantNetwork } from './plant-network.mapper';
import type { TagAverage } from './tag-average';

const HOUR_S = 3600;
const DESIGN = { designTemperatureK: 523.15, designPressurePa: 10e5 };

/** A steam header: one inlet with an orifice meter (and live TI/PI), two outlets with mass meters. */
function steamHeader(compensation: object | undefined, extraTags: object[] = []) {
  const tag = (id: string, streamId: string, kind: string, unit: string, min: number, max: number, extra: object = {}) => ({
    id,
    streamId,
    kind,
    unit,
    range: { min, max },
    uncertainty: { standardDeviation: 0.5, basis: 'percentOfReading' },
    samplingPeriodS: 1,
    ...extra,
  });
  const stream = (id: string, from: string | null, to: string | null, massFlowKgPerS: number) => ({
    id,
    name: id,
    kind: 'energy',
    medium: 'steam',
    from,
    to,
    nominal: { massFlowKgPerS, temperatureK: 523.15, pressurePa: 10e5, densityKgPerM3: 4.3 },
  });
  return checkPlantModel({
    schemaVersion: 1,
    plantId: 'steam',
    name: 'Steam header',
    sites: [{ id: 's', name: 'Site', areas: [{ id: 'a', name: 'Area', units: [{ id: 'H-1', name: 'MP header', type: 'header' }] }] }],
    streams: [stream('in', null, 'H-1', 10), stream('out-1', 'H-1', null, 6), stream('out-2', 'H-1', null, 4)],
    tags: [
      tag('FI-in', 'in', 'massFlow', 'kg/s', 0, 20, compensation ? { compensation } : {}),
      tag('TI-in', 'in', 'temperature', 'degC', 0, 400),
      tag('PI-in', 'in', 'pressure', 'bar', 0, 20),
      tag('FI-out-1', 'out-1', 'massFlow', 'kg/s', 0, 20),
      tag('FI-out-2', 'out-2', 'massFlow', 'kg/s', 0, 20),
      ...extraTags,
    ],
  });
}

const graphOf = (compensation: object | undefined) => {
  const parsed = steamHeader(compensation);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return new PlantGraph(parsed.model);
};

/** 10 kg/s of steam at 8 bar(a), 230 °C through an orifice meter configured for 10 bar(a), 250 °C. */
function offDesignHour(withPressure = true): Map<string, TagAverage> {
  const reading = 10 / Math.sqrt(steamDensity(8e5, 503.15) / steamDensity(10e5, 523.15));
  const entries: [string, number][] = [['FI-in', reading], ['TI-in', 230], ['FI-out-1', 6], ['FI-out-2', 4]];
  if (withPressure) entries.push(['PI-in', 8]);
  return new Map(entries.map(([tagId, value]) => [tagId, { tagId, value, sampleCount: 3600, coverage: 1, goodShare: 1 }]));
}

describe('pressure/temperature compensation of flow meters in the balance', () => {
  const compensation = { element: 'differentialPressure', fluid: 'steam', ...DESIGN, temperatureTagId: 'TI-in', pressureTagId: 'PI-in' };

  it('reconciles an orifice steam meter off design from its live temperature and pressure: no false suspect', async () => {
    const mapping = buildPlantNetwork(graphOf(compensation), offDesignHour(), { windowS: HOUR_S, sigmaSource: 'tag' });
    expect(mapping.network.streams.find((s) => s.id === 'in')?.value).toBeCloseTo(10, 9);
    const result = await reconcile(mapping.network, { alpha: 0.05, gains: true });
    expect(result.globalTest.rejected).toBe(false);
    expect(result.grossErrors).toEqual([]);
  });

  it('without compensation the same meter reads about 10 % high and the balance rejects', async () => {
    const mapping = buildPlantNetwork(graphOf(undefined), offDesignHour(), { windowS: HOUR_S, sigmaSource: 'tag' });
    expect(mapping.network.streams.find((s) => s.id === 'in')?.value).toBeGreaterThan(10.9);
    const result = await reconcile(mapping.network, { alpha: 0.05, gains: true });
    expect(result.globalTest.rejected).toBe(true);
  });

  it('compensates at the design pressure, with a warning, when the pressure tag has no data', () => {
    const mapping = buildPlantNetwork(graphOf(compensation), offDesignHour(false), { windowS: HOUR_S, sigmaSource: 'tag' });
    const expected = offDesignHour().get('FI-in')!.value * Math.sqrt(steamDensity(10e5, 503.15) / steamDensity(10e5, 523.15));
    expect(mapping.network.streams.find((s) => s.id === 'in')?.value).toBeCloseTo(expected, 9);
    expect(mapping.warnings).toContain('tag FI-in: pressure tag PI-in has no usable average; compensated at the design pressure');
  });

  it('reports the bias of a compensated meter in its own unit through its compensation factor', () => {
    const mapping = buildPlantNetwork(graphOf(compensation), offDesignHour(), { windowS: HOUR_S, sigmaSource: 'tag' });
    const meter = mapping.streams.find((s) => s.streamId === 'in')!.meters[0];
    expect(meter.kgPerSPerReadingSI).toBeCloseTo(Math.sqrt(steamDensity(8e5, 503.15) / steamDensity(10e5, 523.15)), 12);
  });

  it('refuses a compensation the plant model cannot carry out, naming the field', () => {
    const issues = (c: object, extra: object[] = []) => {
      const parsed = steamHeader(c, extra);
      return parsed.ok ? [] : parsed.issues.map((i) => `${i.path} ${i.code}`);
    };
    expect(issues({ element: 'differentialPressure', fluid: 'gas', ...DESIGN })).toContain('tags[0].compensation.molarMassKgPerKmol TAG.COMPENSATION_PARAMETER');
    expect(issues({ element: 'linear', fluid: 'steam', ...DESIGN })).toContain('tags[0].compensation.element TAG.COMPENSATION_NOT_NEEDED');
    expect(issues({ ...compensation, pressureTagId: 'PI-other' }, [{ id: 'PI-other', streamId: 'out-1', kind: 'pressure', unit: 'bar', range: { min: 0, max: 20 }, uncertainty: { standardDeviation: 0.1, basis: 'absolute' }, samplingPeriodS: 1 }])).toContain(
      'tags[0].compensation.pressureTagId TAG.COMPENSATION_TAG',
    );
  });
});
