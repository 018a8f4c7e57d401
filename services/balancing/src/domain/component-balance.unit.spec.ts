import { loadDemoPlant, PlantGraph, toSI } from '@reflux/plant-model';
import { SeededRandom } from '@reflux/reconciliation';
import { componentBalance, type ComponentBalanceOptions } from './component-balance';
import { buildPlantNetwork, nominalTagAverages } from './plant-network.mapper';
import type { TagAverage } from './tag-average';
import { tagSigma } from './tag-conversion';

const graph = new PlantGraph(loadDemoPlant('petrochemical'));
const WINDOW_S = 3600;
// fuel-gas drum D-3001: analysers for H2 on both outlets fg-b4001 (AI-3007) and fg-h1001 (AI-3016)
const BOILER_FUEL_H2 = 'AI-3007';
const HEATER_FUEL_H2 = 'AI-3016';

const noisy = (seed: number): Map<string, TagAverage> => {
  const random = new SeededRandom(seed);
  const averages = nominalTagAverages(graph, WINDOW_S);
  for (const [id, a] of averages) {
    const tag = graph.tag(id);
    if (tag.kind === 'level') continue;
    averages.set(id, { ...a, value: a.value + tagSigma(tag, a.value) * random.normal() });
  }
  return averages;
};
const run = (averages: Map<string, TagAverage>, options: Partial<ComponentBalanceOptions> = {}) =>
  componentBalance(graph, buildPlantNetwork(graph, averages, { windowS: WINDOW_S, sigmaSource: 'tag' }), averages, { alpha: 0.05, ...options });
const scaled = (averages: Map<string, TagAverage>, tagId: string, factor: number) => {
  const copy = new Map(averages);
  copy.set(tagId, { ...copy.get(tagId)!, value: copy.get(tagId)!.value * factor });
  return copy;
};

describe('component balances reconciled with the mass balances', () => {
  it('closes every planned component balance at nominal values without adjusting anything', () => {
    const { record, grossErrors } = run(nominalTagAverages(graph, WINDOW_S));
    expect(record).toBeDefined();
    expect(record!.unitIds).toEqual(expect.arrayContaining(['D-3001', 'K-2001']));
    expect(record!.globalTest.statistic).toBeLessThan(1e-6);
    expect(grossErrors).toEqual([]);
    const h2 = record!.closures.filter((c) => c.component === 'H2');
    expect(h2.map((c) => c.unitId).sort()).toEqual(['D-3001', 'K-2001']);
    for (const c of h2) {
      expect(Math.abs(c.imbalanceAfterKgPerS!)).toBeLessThan(1e-9);
      expect(c.inflowKgPerS).toBeGreaterThan(0);
    }
  });

  it('reports no closure where a term is unobservable (CH4 of the refinery off-gases has no analyser)', () => {
    const { record } = run(nominalTagAverages(graph, WINDOW_S));
    expect(record!.compositions.find((w) => w.streamId === 'cdu-offgas' && w.component === 'CH4')).toMatchObject({ measured: false, classification: 'unobservable', reconciledFraction: null });
    expect(record!.closures.find((c) => c.unitId === 'D-3001' && c.component === 'CH4')).toMatchObject({ imbalanceAfterKgPerS: null, inflowKgPerS: null });
  });

  it('reconciles noisy analysers and flows so that every component balance closes, with smaller sigmas than the analysers', () => {
    const { record, grossErrors } = run(noisy(7));
    expect(record!.globalTest.rejected).toBe(false);
    expect(grossErrors).toEqual([]);
    const closed = record!.closures.filter((c) => c.imbalanceAfterKgPerS !== null);
    expect(closed.length).toBeGreaterThanOrEqual(2);
    for (const c of closed) expect(Math.abs(c.imbalanceAfterKgPerS!)).toBeLessThan(1e-9 * Math.max(1, c.inflowKgPerS!));
    const h2 = record!.compositions.find((w) => w.streamId === 'fg-b4001' && w.component === 'H2')!;
    expect(h2.classification).toBe('redundant');
    const analyserSigma = toSI(tagSigma(graph.tag(BOILER_FUEL_H2), h2.measuredFraction! * 100), '%');
    expect(h2.sigmaFraction!).toBeLessThan(analyserSigma);
  });

  it('estimates the fraction of an outlet without analyser from the shared outlet composition of the drum', () => {
    const { record } = run(noisy(11));
    const unmeasured = record!.compositions.find((w) => w.streamId === 'fg-b4002' && w.component === 'H2')!;
    const measured = record!.compositions.find((w) => w.streamId === 'fg-b4001' && w.component === 'H2')!;
    expect(unmeasured).toMatchObject({ measured: false, classification: 'observable' });
    expect(unmeasured.reconciledFraction).toBeCloseTo(measured.reconciledFraction!, 12);
    // the compressor outlets take the hydrogen purity of the import analyser
    expect(record!.compositions.find((w) => w.streamId === 'h2-nht' && w.component === 'H2')).toMatchObject({ classification: 'observable' });
  });

  it('treats a component absent from a declared composition as a known zero (no H2 in natural gas)', () => {
    const { record } = run(nominalTagAverages(graph, WINDOW_S));
    expect(record!.compositions.some((w) => w.streamId === 'natural-gas-import' && w.component === 'H2')).toBe(false);
    expect(record!.closures.find((c) => c.unitId === 'D-3001' && c.component === 'H2')!.imbalanceBeforeKgPerS).not.toBeNull();
  });

  it.each([
    [BOILER_FUEL_H2, 'fg-b4001', 1.3],
    [HEATER_FUEL_H2, 'fg-h1001', 0.75],
  ])('identifies the biased analyser %s on %s (reads ×%s) and closes the balance without it', (tagId, streamId, factor) => {
    for (const seed of [1, 2, 3]) {
      const averages = scaled(noisy(seed), tagId, factor);
      const { record, grossErrors } = run(averages);
      expect(record!.globalTest.rejected).toBe(true);
      expect(record!.globalTestAfter.rejected).toBe(false);
      expect(grossErrors.map((g) => g.tagId)).toEqual([tagId]);
      const g = grossErrors[0];
      expect(g).toMatchObject({ streamId, component: 'H2', tagUnit: '%' });
      expect(g.relativePercent!).toBeCloseTo(100 * (factor - 1), -1); // within ±5 %-points
      expect(Math.sign(g.biasMassFraction!)).toBe(Math.sign(factor - 1));
      expect(g.biasTagUnit).toBeCloseTo(100 * g.biasMassFraction!, 10);
      expect(record!.compositions.find((w) => w.streamId === streamId && w.component === 'H2')).toMatchObject({ grossError: true });
      const closure = record!.closures.find((c) => c.unitId === 'D-3001' && c.component === 'H2')!;
      expect(Math.abs(closure.imbalanceAfterKgPerS!)).toBeLessThan(1e-9);
    }
  });

  it('keeps the false-alarm rate near alpha on noise alone and singles out a 5-sigma analyser bias in most windows (Monte Carlo, 300 seeded windows)', () => {
    const windows = 300;
    let rejected = 0;
    let falseSuspects = 0;
    let identified = 0;
    for (let seed = 1; seed <= windows; seed++) {
      const averages = noisy(1000 + seed);
      const clean = run(averages);
      if (clean.record!.globalTest.rejected) rejected++;
      if (clean.grossErrors.length > 0) falseSuspects++;
      const biased = run(scaled(averages, HEATER_FUEL_H2, 1.1)); // 10 % of reading = 5 sigma of the analyser
      if (biased.grossErrors.map((g) => g.tagId).join() === HEATER_FUEL_H2) identified++;
    }
    expect(rejected / windows).toBeGreaterThan(0.02);
    expect(rejected / windows).toBeLessThan(0.09);
    expect(falseSuspects / windows).toBeLessThan(0.05);
    expect(identified / windows).toBeGreaterThan(0.7);
  }, 60_000);

  it('leaves a flow meter the mass balance found biased out of the component balances', () => {
    const averages = nominalTagAverages(graph, WINDOW_S);
    const { record } = run(averages, { biasedFlowStreamIds: new Set(['fg-b4002']) });
    expect(record!.flows.find((f) => f.streamId === 'fg-b4002')!.reconciledKgPerS).toBeCloseTo(graph.stream('fg-b4002').nominal.massFlowKgPerS!, 6);
  });

  it('plans nothing and reports nothing for a plant model without analysers', () => {
    const model = loadDemoPlant('petrochemical');
    const bare = new PlantGraph({ ...model, tags: model.tags.filter((t) => t.kind !== 'composition') });
    const averages = nominalTagAverages(bare, WINDOW_S);
    const outcome = componentBalance(bare, buildPlantNetwork(bare, averages, { windowS: WINDOW_S, sigmaSource: 'tag' }), averages, { alpha: 0.05 });
    expect(outcome).toEqual({ grossErrors: [], warnings: [] });
  });

  it('never reconciles a mass fraction below 0: an analyser reading negative near zero is held at 0', () => {
    // both H2 analysers of the drum's outlets drift below zero (an analyser near zero can read negative)
    const averages = scaled(scaled(nominalTagAverages(graph, WINDOW_S), BOILER_FUEL_H2, -0.2), HEATER_FUEL_H2, -0.2);
    const { record } = run(averages, { maxEliminations: 0 });
    for (const w of record!.compositions) if (w.reconciledFraction !== null) expect(w.reconciledFraction).toBeGreaterThanOrEqual(0);
    expect(record!.compositions.find((w) => w.streamId === 'fg-b4001' && w.component === 'H2')!.reconciledFraction).toBe(0);
  });

  it("carries a loss the mass balance found at a unit through its component balances instead of blaming an analyser", () => {
    // the fuel-gas drum leaks 10 % of what it sends out: every outlet meter reads 10 % less
    const averages = noisy(5);
    let leak = 0;
    for (const s of graph.streamsOut('D-3001'))
      for (const t of graph.tagsOfStream(s.id).filter((x) => ['massFlow', 'volumetricFlow', 'normalVolumetricFlow'].includes(x.kind))) {
        averages.set(t.id, { ...averages.get(t.id)!, value: averages.get(t.id)!.value * 0.9 });
        leak += 0.1 * s.nominal.massFlowKgPerS!;
      }
    const told = run(averages, { unitLosses: new Map([['D-3001', leak]]) });
    expect(told.grossErrors).toEqual([]);
    expect(told.record!.globalTestAfter.rejected).toBe(false);
  });
});
