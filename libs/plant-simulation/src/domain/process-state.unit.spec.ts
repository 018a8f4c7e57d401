import { carriesMass, DEMO_PLANTS, loadDemoPlant, PlantGraph, type DemoPlantName } from '@reflux/plant-model';
import { DEMO_TARGETS, dailyDemoScenario } from '../scenario/daily-scenario';
import { processStateAt } from './process-state';

const DAY = Date.parse('2026-11-23T00:00:00Z');

/** in − out (kg/s) of every unit without inventory in a process state. */
function imbalances(graph: PlantGraph, mass: ReadonlyMap<string, number>): Map<string, { residual: number; throughput: number }> {
  const out = new Map<string, { residual: number; throughput: number }>();
  for (const unit of graph.units()) {
    if (unit.inventory) continue;
    const inflow = graph.streamsIn(unit.id).filter(carriesMass).reduce((a, s) => a + mass.get(s.id)!, 0);
    const outflow = graph.streamsOut(unit.id).filter(carriesMass).reduce((a, s) => a + mass.get(s.id)!, 0);
    out.set(unit.id, { residual: inflow - outflow, throughput: Math.max(inflow, outflow) });
  }
  return out;
}

describe.each(Object.keys(DEMO_PLANTS) as DemoPlantName[])('true process state of the %s demo', (name) => {
  const graph = new PlantGraph(loadDemoPlant(name));
  const scenario = dailyDemoScenario(graph, DAY, 42);
  const targets = DEMO_TARGETS[graph.model.plantId];

  it('loses mass only at the leaking unit while the leak is on: the change travels downstream balanced through every unit, recycles included', () => {
    const state = processStateAt(graph, scenario, 1800); // hour 0: the leak
    const unbalanced = [...imbalances(graph, state.massFlowKgPerS)].filter(([, b]) => Math.abs(b.residual) > 1e-9 * Math.max(1, b.throughput)).map(([id]) => id);
    expect(unbalanced).toEqual([targets.leakUnit]);
    const leak = imbalances(graph, state.massFlowKgPerS).get(targets.leakUnit)!;
    const inflow = graph.streamsIn(targets.leakUnit).filter(carriesMass).reduce((a, s) => a + state.massFlowKgPerS.get(s.id)!, 0);
    // the share of the inflow when the leak began: part of the change can come back through a recycle
    expect(leak.residual / inflow).toBeCloseTo(targets.leakFraction, 3);
  });

  it('balances every unit when only a transmitter fails (hour 1)', () => {
    const state = processStateAt(graph, scenario, 5400);
    for (const [unitId, b] of imbalances(graph, state.massFlowKgPerS)) expect({ unitId, residual: Math.abs(b.residual) <= 1e-9 * Math.max(1, b.throughput) }).toEqual({ unitId, residual: true });
  });
});
