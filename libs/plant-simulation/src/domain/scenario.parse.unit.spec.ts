import { PlantGraph, loadDemoPlant } from '@reflux/plant-model';
import { parseScenario } from './scenario.parse';
import type { InvalidScenarioError } from './simulator.errors';

const graph = new PlantGraph(loadDemoPlant('petrochemical'));
const issuesOf = (input: unknown) => {
  try {
    parseScenario(input, graph);
  } catch (error) {
    expect((error as InvalidScenarioError).code).toBe('SIMULATOR.INVALID_SCENARIO');
    return (error as InvalidScenarioError).issues;
  }
  throw new Error('expected the scenario to be rejected');
};

describe('parseScenario', () => {
  it('reads a YAML incident schedule and applies defaults', () => {
    const scenario = parseScenario(
      `
seed: 7
epoch: 2026-01-05T06:00:00Z
rateChanges:
  - { atS: 3600, rate: 0.85, rampS: 1800 }
incidents:
  - { kind: leak, target: C-2001, startS: 7200, durationS: 3600, fraction: 0.05 }
  - { kind: transmitterFailure, target: FI-1001, startS: 600, durationS: 1200, biasPercentOfSpan: -3, stuckAfterS: 600 }
  - { kind: fouling, target: E-1002, startS: 0, durationS: 86400, dutyLossPerHour: 0.01 }
  - { kind: trip, target: K-2001, startS: 9000, durationS: 900 }
`,
      graph,
    );
    expect(scenario.initialRate).toBe(1);
    expect(scenario.drift).toEqual({ temperatureK: 0.8, pressureFraction: 0.003, rateFraction: 0.005 });
    expect(scenario.incidents.map((incident) => incident.kind)).toEqual(['leak', 'transmitterFailure', 'fouling', 'trip']);
    expect(scenario.incidents[2]).toMatchObject({ maxDutyLoss: 0.5 });
    expect(scenario.incidents[3]).toMatchObject({ residualFraction: 0.01 });
  });

  it('lists every unknown or unsuitable target with its path', () => {
    const issues = issuesOf({
      seed: 1,
      epoch: '2026-01-05T00:00:00Z',
      incidents: [
        { kind: 'leak', target: 'X-1', startS: 0, durationS: 1, fraction: 0.1 },
        { kind: 'transmitterFailure', target: 'XX-0000', startS: 0, durationS: 1, biasPercentOfSpan: 1 },
        { kind: 'trip', target: 'C-1001', startS: 0, durationS: 1 },
        { kind: 'fouling', target: 'K-2001', startS: 0, durationS: 1, dutyLossPerHour: 0.1 },
      ],
    });
    expect(issues.map((issue) => `${issue.code} @ ${issue.path}`)).toEqual([
      'SCENARIO.UNKNOWN_UNIT @ incidents[0].target',
      'SCENARIO.UNKNOWN_TAG @ incidents[1].target',
      'SCENARIO.NOT_TRIPPABLE @ incidents[2].target',
      'SCENARIO.NOT_FOULABLE @ incidents[3].target',
    ]);
  });

  it('rejects malformed fields with their paths', () => {
    const issues = issuesOf({
      seed: -1,
      epoch: 'yesterday',
      incidents: [{ kind: 'leak', target: 'C-2001', startS: 0, durationS: 0, fraction: 1.5 }, { kind: 'earthquake' }],
    });
    expect(issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['seed', 'epoch', 'incidents[0].durationS', 'incidents[0].fraction', 'incidents[1].kind']),
    );
  });
});
