import { carriesMass, loadDemoPlant, PlantGraph, toSI } from '@reflux/plant-model';
import { createSampleGenerator, type SampleGenerator } from './sample-generator';
import { scenarioSchema, type ScenarioInput } from './scenario.schema';
import { streamCompositionsAt } from './stream-composition';

const graph = new PlantGraph(loadDemoPlant('petrochemical'));
const EPOCH = '2026-01-05T00:00:00Z';
const epochMs = Date.parse(EPOCH);
const at = (s: number) => epochMs + s * 1000;
const generator = (input: Partial<ScenarioInput> = {}): SampleGenerator =>
  createSampleGenerator(graph, scenarioSchema.parse({ seed: 42, epoch: EPOCH, drift: { temperatureK: 0, pressureFraction: 0, rateFraction: 0 }, ...input }));

/** Σ in F·w − Σ out F·w of a component over a unit in the true state, kg/s. */
const componentResidual = (g: SampleGenerator, unitId: string, component: string, seconds: number) => {
  const state = g.stateAt(at(seconds));
  const w = streamCompositionsAt(graph, state);
  const flow = (id: string) => state.massFlowKgPerS.get(id)! * (w.get(id)?.[component] ?? 0);
  const inflow = graph.streamsIn(unitId).filter(carriesMass).reduce((sum, s) => sum + flow(s.id), 0);
  const outflow = graph.streamsOut(unitId).filter(carriesMass).reduce((sum, s) => sum + flow(s.id), 0);
  return { inflow, residual: inflow - outflow };
};

describe('stream compositions of the simulated plant', () => {
  it('gives the analysers their nominal readings at steady state, whatever the production rate', () => {
    const g = generator({ initialRate: 0.8 });
    for (const tag of graph.tags().filter((t) => t.kind === 'composition'))
      expect(toSI(g.trueValue(tag.id, at(100)), tag.unit)).toBeCloseTo(graph.stream(tag.streamId!).nominal.composition![tag.component!], 8); // the document rounds fractions to 1e-9
  });

  it('follows the mix of the fuel-gas drum when a feed trips, keeping its hydrogen balance closed', () => {
    const g = generator({ incidents: [{ kind: 'trip', target: 'C-2002', startS: 600, durationS: 600 }] });
    const before = g.trueValue('AI-3007', at(300));
    const during = g.trueValue('AI-3007', at(900));
    expect(during).toBeLessThan(0.9 * before); // the diesel stripper's hydrogen-rich off-gas is gone
    expect(g.trueValue('AI-3016', at(900))).toBeCloseTo(during, 12); // both drum outlets carry the same gas
    for (const component of ['H2', 'CH4', 'C2H6', 'C3H8']) {
      const { inflow, residual } = componentResidual(g, 'D-3001', component, 900);
      expect(Math.abs(residual)).toBeLessThan(1e-9 * inflow + 1e-12);
    }
  });

  it('adds noise to an analyser with its own standard deviation', () => {
    const g = generator();
    const tag = graph.tag('AI-3007');
    const readings = Array.from({ length: 400 }, (_, i) => g.sample(tag.id, at(60 * i)).value);
    const mean = readings.reduce((a, b) => a + b, 0) / readings.length;
    const sd = Math.sqrt(readings.reduce((a, b) => a + (b - mean) ** 2, 0) / (readings.length - 1));
    const expected = (tag.uncertainty.standardDeviation / 100) * g.trueValue(tag.id, at(0));
    expect(sd / expected).toBeGreaterThan(0.85);
    expect(sd / expected).toBeLessThan(1.15);
  });
});
