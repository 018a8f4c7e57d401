import { PlantGraph, loadDemoPlant, massBalance, nominalEnergyBalance, toSI, type Stream } from '@reflux/plant-model';
import { createSampleGenerator, type SampleGenerator } from './sample-generator';
import { scenarioSchema, type ScenarioInput } from './scenario.schema';

const graph = new PlantGraph(loadDemoPlant('petrochemical'));
const EPOCH = '2026-01-05T00:00:00Z';
const epochMs = Date.parse(EPOCH);
const NO_DRIFT = { temperatureK: 0, pressureFraction: 0, rateFraction: 0 };
const generator = (input: Partial<ScenarioInput> = {}): SampleGenerator =>
  createSampleGenerator(graph, scenarioSchema.parse({ seed: 42, epoch: EPOCH, drift: NO_DRIFT, ...input }));
const at = (s: number) => epochMs + s * 1000;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};
/** Mass flow (kg/s) read by the flow tag of each stream, averaged over `n` one-second samples from `fromS`. */
const measuredMassFlows = (g: SampleGenerator, streams: readonly Stream[], fromS: number, n: number): number[] => {
  const meters = streams.map((stream) => {
    const tag = graph.tagsOfStream(stream.id).find((t) => ['massFlow', 'normalVolumetricFlow', 'volumetricFlow'].includes(t.kind));
    if (!tag) throw new Error(`stream ${stream.id} has no flow tag`);
    const density = tag.kind === 'massFlow' ? 1 : tag.kind === 'normalVolumetricFlow' ? stream.nominal.normalDensityKgPerNm3! : stream.nominal.densityKgPerM3!;
    return { tag, density };
  });
  const sums = meters.map(() => 0);
  for (let i = 0; i < n; i++)
    meters.forEach(({ tag, density }, j) => (sums[j] += toSI(g.sample(tag.id, at(fromS + i)).value, tag.unit) * density));
  return sums.map((sum) => sum / n);
};

describe('sample generator', () => {
  it('produces identical samples for the same seed, whatever the order of the requests', () => {
    const a = generator({ drift: undefined });
    const b = generator({ drift: undefined });
    const later = b.samplesAt(at(7200));
    const earlier = b.samplesAt(at(60));
    expect(a.samplesAt(at(60))).toEqual(earlier);
    expect(a.samplesAt(at(7200))).toEqual(later);
  });

  it('produces different noise for a different seed', () => {
    const a = generator().samplesAt(at(60)).map((s) => s.value);
    const c = generator({ seed: 43 }).samplesAt(at(60)).map((s) => s.value);
    expect(a).not.toEqual(c);
  });

  it('gives one sample per tag on each tag’s own sampling grid', () => {
    const samples = generator().samplesBetween(at(0), at(60));
    const analyser = samples.filter((s) => s.tagId === 'AI-2003');
    const flow = samples.filter((s) => s.tagId === 'FI-1001');
    expect(analyser.map((s) => s.timestampMs)).toEqual([at(0)]);
    expect(flow).toHaveLength(60);
    expect(samples.every((s, i) => i === 0 || s.timestampMs >= samples[i - 1].timestampMs)).toBe(true);
  });

  it.each([
    ['TI-1002', 'absolute'],
    ['FI-1001', 'percentOfReading'],
    ['PI-1003', 'percentOfSpan'],
  ])('gives %s (%s uncertainty) noise whose standard deviation matches the tag', (tagId) => {
    const g = generator();
    const tag = graph.tag(tagId);
    const truth = g.trueValue(tagId, at(0));
    const values = Array.from({ length: 2000 }, (_, i) => g.sample(tagId, at(i)).value);
    const span = tag.range.max - tag.range.min;
    const expectedSd =
      tag.uncertainty.basis === 'absolute'
        ? tag.uncertainty.standardDeviation
        : (tag.uncertainty.standardDeviation / 100) * (tag.uncertainty.basis === 'percentOfSpan' ? span : truth);
    expect(std(values) / expectedSd).toBeGreaterThan(0.95);
    expect(std(values) / expectedSd).toBeLessThan(1.05);
    expect(Math.abs(mean(values) - truth)).toBeLessThan((4 * expectedSd) / Math.sqrt(values.length));
  });

  it('drifts temperatures slowly when drift is on', () => {
    const g = generator({ drift: { temperatureK: 1, pressureFraction: 0, rateFraction: 0 } });
    const values = Array.from({ length: 48 }, (_, i) => g.trueValue('TI-1002', at(i * 900)));
    expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(0.3);
    expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(2);
    expect(Math.abs(g.trueValue('TI-1002', at(1)) - g.trueValue('TI-1002', at(0)))).toBeLessThan(0.01);
  });

  it('scales every flow with a production-rate change so that every unit still balances', () => {
    const g = generator({ rateChanges: [{ atS: 600, rate: 0.8, rampS: 1200 }] });
    expect(g.stateAt(at(300)).rate).toBe(1);
    expect(g.stateAt(at(1200)).rate).toBeCloseTo(0.9, 12);
    const state = g.stateAt(at(3600));
    expect(state.rate).toBe(0.8);
    expect(g.trueValue('FI-1001', at(3600))).toBeCloseTo(0.8 * g.trueValue('FI-1001', at(0)), 9);
    for (const unit of graph.units()) {
      const balance = massBalance(graph, unit.id, (s) => state.massFlowKgPerS.get(s.id)!, 0.8 * massBalance(graph, unit.id).accumulation);
      expect({ unit: unit.id, residual: Math.abs(balance.residual) < 1e-6 }).toEqual({ unit: unit.id, residual: true });
    }
  });

  it('makes a leaking unit’s measured balance fail by the leak while its inlet reads unchanged', () => {
    const unit = 'K-2001';
    const inlet = graph.streamsIn(unit).filter((s) => s.nominal.massFlowKgPerS !== undefined);
    const outlets = graph.streamsOut(unit);
    const g = generator({ incidents: [{ kind: 'leak', target: unit, startS: 3600, durationS: 3600, fraction: 0.1 }] });
    const balance = (fromS: number) => {
      const flows = measuredMassFlows(g, [...inlet, ...outlets], fromS, 600);
      return flows.slice(0, inlet.length).reduce((a, b) => a + b, 0) - flows.slice(inlet.length).reduce((a, b) => a + b, 0);
    };
    const throughput = inlet.reduce((sum, s) => sum + s.nominal.massFlowKgPerS!, 0);
    expect(Math.abs(balance(0))).toBeLessThan(0.01 * throughput);
    expect(balance(4000) / throughput).toBeGreaterThan(0.09);
    expect(balance(4000) / throughput).toBeLessThan(0.11);
    expect(measuredMassFlows(g, inlet, 4000, 600)[0] / inlet[0].nominal.massFlowKgPerS!).toBeCloseTo(1, 1);
    // downstream reactors receive less and still balance in the true state
    const state = g.stateAt(at(4000));
    expect(state.massFlowKgPerS.get('nht-effluent')! < graph.stream('nht-effluent').nominal.massFlowKgPerS!).toBe(true);
    expect(Math.abs(massBalance(graph, 'R-2001', (s) => state.massFlowKgPerS.get(s.id)!).residual)).toBeLessThan(1e-9);
    // after the leak is repaired
    expect(Math.abs(balance(7300))).toBeLessThan(0.01 * throughput);
  });

  it('lowers a leaking tank’s level faster than its nominal rate', () => {
    const leak = generator({ incidents: [{ kind: 'leak', target: 'TK-5101', startS: 0, durationS: 7200, fraction: 0.05 }] });
    const normal = generator();
    const rise = normal.trueValue('LI-5012', at(3600)) - normal.trueValue('LI-5012', at(0));
    expect(rise).toBeCloseTo(2.5e-6 * 3600, 6);
    const inventory = graph.unit('TK-5101').inventory!;
    const expectedDrop = (0.05 * graph.stream('crude-import').nominal.massFlowKgPerS! * 3600) / (inventory.areaM2 * inventory.densityKgPerM3);
    const withLeak = leak.trueValue('LI-5012', at(3600)) - leak.trueValue('LI-5012', at(0));
    expect(rise - withLeak).toBeCloseTo(expectedDrop, 5);
  });

  it('biases only the failing transmitter, then sticks it with bad quality', () => {
    const target = 'FI-1001';
    const tag = graph.tag(target);
    const bias = 0.05 * (tag.range.max - tag.range.min);
    const healthy = generator();
    const failing = generator({ incidents: [{ kind: 'transmitterFailure', target, startS: 600, durationS: 1800, biasPercentOfSpan: 5, stuckAfterS: 900 }] });
    for (const t of [700, 1000, 1400]) {
      const before = healthy.samplesAt(at(t));
      const after = failing.samplesAt(at(t));
      after.forEach((sample, i) => {
        if (sample.tagId === target) {
          expect(sample.value - before[i].value).toBeCloseTo(bias, 9);
          expect(sample.quality).toBe('good');
        } else expect(sample).toEqual(before[i]);
      });
    }
    const stuck = [1500, 1600, 2000].map((t) => failing.sample(target, at(t)));
    expect(stuck.every((s) => s.quality === 'bad' && s.statusCode === 'Bad_SensorFailure')).toBe(true);
    expect(new Set(stuck.map((s) => s.value)).size).toBe(1);
    expect(stuck[0].value).toBeCloseTo(healthy.sample(target, at(1500)).value + bias, 6);
    expect(failing.sample(target, at(2400))).toEqual(healthy.sample(target, at(2400)));
  });

  it('drifts a fouling exchanger’s outlet temperatures towards their inlets while its energy balance holds', () => {
    const g = generator({ incidents: [{ kind: 'fouling', target: 'E-1001', startS: 0, durationS: 86_400, dutyLossPerHour: 0.02, maxDutyLoss: 0.3 }] });
    const crudeOut = (s: number) => g.stateAt(at(s)).temperatureK.get('crude-preheat-1')!;
    const residueOut = (s: number) => g.stateAt(at(s)).temperatureK.get('residue-cooled')!;
    expect(crudeOut(0)).toBeCloseTo(graph.stream('crude-preheat-1').nominal.temperatureK!, 9);
    expect(crudeOut(3 * 3600)).toBeLessThan(crudeOut(3600));
    expect(residueOut(3 * 3600)).toBeGreaterThan(residueOut(3600));
    const lossAt10h = 0.2;
    const tIn = graph.stream('crude-charge').nominal.temperatureK!;
    const tOut = graph.stream('crude-preheat-1').nominal.temperatureK!;
    expect(crudeOut(10 * 3600)).toBeCloseTo(tOut + (tIn - tOut) * lossAt10h, 6);
    const state = g.stateAt(at(10 * 3600));
    const energy = (id: string) => state.massFlowKgPerS.get(id)! * state.specificEnthalpyJPerKg.get(id)!;
    const residual = energy('crude-charge') + energy('cdu-residue') - energy('crude-preheat-1') - energy('residue-cooled');
    expect(Math.abs(residual)).toBeLessThan(1e-6 * nominalEnergyBalance(graph, 'E-1001')!.inflow);
  });

  it('drops a tripped compressor’s flows to about zero for the trip only', () => {
    const g = generator({ incidents: [{ kind: 'trip', target: 'K-2001', startS: 600, durationS: 300 }] });
    const nominal = g.trueValue('FI-2005', at(0));
    expect(g.trueValue('FI-2005', at(700))).toBeCloseTo(0.01 * nominal, 9);
    expect(g.stateAt(at(700)).powerW.get('el-k2001')).toBeCloseTo(0.01 * graph.stream('el-k2001').nominal.powerW!, 3);
    expect(g.stateAt(at(700)).massFlowKgPerS.get('nht-effluent')!).toBeLessThan(graph.stream('nht-effluent').nominal.massFlowKgPerS!);
    expect(g.trueValue('FI-2005', at(900))).toBeCloseTo(nominal, 9);
  });

  it('clamps a reading beyond the range and marks it uncertain', () => {
    const g = generator({ initialRate: 1.9 });
    const sample = g.sample('FI-1001', at(10));
    expect(sample).toMatchObject({ quality: 'uncertain', statusCode: 'Uncertain_EngineeringUnitsExceeded', value: graph.tag('FI-1001').range.max });
  });
});

describe.each(['petrochemical', 'steelworks'] as const)('the %s demo plant at its nominal state', (name) => {
  it('reads every tag with good quality within its range', () => {
    const plant = new PlantGraph(loadDemoPlant(name));
    const g = createSampleGenerator(plant, scenarioSchema.parse({ seed: 3, epoch: EPOCH }));
    const samples = [0, 600, 3600].flatMap((s) => g.samplesAt(at(s)));
    expect(samples.filter((s) => s.quality !== 'good')).toEqual([]);
    expect(samples).toHaveLength(3 * plant.tags().length);
  });
});
