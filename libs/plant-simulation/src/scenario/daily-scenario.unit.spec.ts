import { DEMO_PLANTS, loadDemoPlant, PlantGraph, type DemoPlantName } from '@reflux/plant-model';
import { createSampleGenerator } from '../domain';
import { DEMO_TARGETS, dailyDemoScenario, dayStartMs } from './daily-scenario';

const DAY = Date.parse('2026-11-23T00:00:00Z');

describe.each(Object.keys(DEMO_PLANTS) as DemoPlantName[])('daily demo scenario of %s', (name) => {
  const graph = new PlantGraph(loadDemoPlant(name));

  it('targets units and tags that exist in the plant', () => {
    expect(DEMO_TARGETS[graph.model.plantId]).toBeDefined();
    expect(() => dailyDemoScenario(graph, DAY, 42)).not.toThrow();
  });

  it('has exactly one leak or biased transmitter in every hour of the day', () => {
    const scenario = dailyDemoScenario(graph, DAY, 42);
    for (let hour = 0; hour < 24; hour++) {
      const overlapping = scenario.incidents.filter((i) => (i.kind === 'leak' || i.kind === 'transmitterFailure') && i.startS < (hour + 1) * 3600 && i.startS + i.durationS > hour * 3600);
      expect(overlapping).toHaveLength(1);
    }
  });

  it('gives the same data for the same day and seed, so a restart rewrites nothing new', () => {
    const t = DAY + 5 * 3600_000 + 1234;
    const a = createSampleGenerator(graph, dailyDemoScenario(graph, DAY, 42)).samplesAt(t);
    const b = createSampleGenerator(graph, dailyDemoScenario(graph, DAY, 42)).samplesAt(t);
    expect(a).toEqual(b);
    expect(dayStartMs(t)).toBe(DAY);
  });
});
