import { formatPath, type PlantGraph } from '@reflux/plant-model';
import { parseDocument } from 'yaml';
import { scenarioSchema, type Scenario } from './scenario.schema';
import { InvalidScenarioError, type ScenarioIssue } from './simulator.errors';

/** Unit types whose trip makes sense: rotating machines. */
export const TRIPPABLE_UNIT_TYPES = ['compressor', 'blower', 'pump', 'turbine'] as const;
/** Unit types that can foul. */
export const FOULABLE_UNIT_TYPES = ['heatExchanger', 'cooler'] as const;

/**
 * Reads a scenario (YAML or JSON text, or an already-decoded value) and checks it against the
 * plant: targets exist and fit the incident kind. Throws `SIMULATOR.INVALID_SCENARIO` listing every problem.
 */
export const parseScenario = (input: string | unknown, graph: PlantGraph): Scenario => {
  let value: unknown = input;
  if (typeof input === 'string') {
    const document = parseDocument(input, { uniqueKeys: true });
    if (document.errors.length > 0)
      throw new InvalidScenarioError(document.errors.map((error) => ({ path: '', code: `SYNTAX.${error.code}`, message: error.message })));
    value = document.toJS() as unknown;
  }
  const parsed = scenarioSchema.safeParse(value);
  if (!parsed.success)
    throw new InvalidScenarioError(
      parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), code: `SCHEMA.${issue.code.toUpperCase()}`, message: issue.message })),
    );
  const issues = checkScenarioTargets(parsed.data, graph);
  if (issues.length > 0) throw new InvalidScenarioError(issues);
  return parsed.data;
};

export const checkScenarioTargets = (scenario: Scenario, graph: PlantGraph): ScenarioIssue[] => {
  const issues: ScenarioIssue[] = [];
  scenario.incidents.forEach((incident, i) => {
    const path = `incidents[${i}].target`;
    if (incident.kind === 'transmitterFailure') {
      if (!graph.findTag(incident.target)) issues.push({ path, code: 'SCENARIO.UNKNOWN_TAG', message: `unknown tag "${incident.target}"` });
      return;
    }
    if (!graph.hasUnit(incident.target)) {
      issues.push({ path, code: 'SCENARIO.UNKNOWN_UNIT', message: `unknown unit "${incident.target}"` });
      return;
    }
    const type = graph.unit(incident.target).type;
    if (incident.kind === 'trip' && !(TRIPPABLE_UNIT_TYPES as readonly string[]).includes(type))
      issues.push({ path, code: 'SCENARIO.NOT_TRIPPABLE', message: `a ${type} cannot trip; use ${TRIPPABLE_UNIT_TYPES.join(', ')}` });
    if (incident.kind === 'fouling' && !(FOULABLE_UNIT_TYPES as readonly string[]).includes(type))
      issues.push({ path, code: 'SCENARIO.NOT_FOULABLE', message: `a ${type} does not foul; use ${FOULABLE_UNIT_TYPES.join(', ')}` });
  });
  return issues;
};
