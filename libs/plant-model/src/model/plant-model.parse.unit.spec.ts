import { parse, stringify } from 'yaml';
import { SMALL_PLANT_YAML } from './plant-model.fixture';
import { checkPlantModel, parsePlantModel } from './plant-model.parse';
import type { PlantModelIssue } from './plant-model.issues';
import { plantModelJsonSchema } from './plant-model.schema';

// a test mutates the decoded YAML freely to break it in specific places
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const document = () => parse(SMALL_PLANT_YAML) as Record<string, any>;
const issuesOf = (value: unknown): readonly PlantModelIssue[] => {
  const result = checkPlantModel(value);
  if (result.ok) throw new Error('expected the document to be rejected');
  return result.issues;
};

describe('parsePlantModel', () => {
  it('reads a valid YAML document and applies defaults', () => {
    const result = parsePlantModel(SMALL_PLANT_YAML, 'yaml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.model.plantId).toBe('test-plant');
    expect(result.model.streams).toHaveLength(7);
    expect(result.model.tags.find((tag) => tag.id === 'LI-1')).toMatchObject({ unitId: 'TK-1', kind: 'level' });
  });

  it('reads the same document as JSON', () => {
    const result = parsePlantModel(JSON.stringify(document()), 'json');
    expect(result.ok).toBe(true);
  });

  it('reports a YAML syntax error with its line', () => {
    const result = parsePlantModel('plantId: a\nsites: [\n  - x', 'yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0].code).toMatch(/^SYNTAX\.YAML\./);
    expect(result.issues[0].message).toMatch(/line \d+/);
  });

  it('reports a JSON syntax error', () => {
    const result = parsePlantModel('{"plantId": ', 'json');
    expect(result).toMatchObject({ ok: false, issues: [{ code: 'SYNTAX.JSON' }] });
  });

  it('reports schema violations with the path of each field', () => {
    const doc = document();
    doc.streams[1].nominal.massFlowKgPerS = -3;
    doc.tags[0].samplingPeriodS = 0;
    doc.tags[1].colour = 'red';
    delete doc.sites[0].areas[0].units[2].type;
    const paths = issuesOf(doc).map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'streams[1].nominal.massFlowKgPerS',
        'tags[0].samplingPeriodS',
        'tags[1]',
        'sites[0].areas[0].units[2].type',
      ]),
    );
  });

  it('lists every cross-reference problem at once, each with its path', () => {
    const doc = document();
    doc.streams[3].to = 'H-404'; // dangling stream end
    doc.streams.push({ ...doc.streams[0] }); // duplicate stream id
    doc.sites[0].areas[0].units.push({ id: 'P-1', name: 'Twin', type: 'pump' }); // duplicate unit id
    doc.tags.push({ ...doc.tags[0] }); // duplicate tag
    doc.tags[1].unit = 'gallons/fortnight'; // unknown unit of measure
    doc.tags[2].unit = 'degC'; // temperature unit on a mass-flow tag
    doc.tags[3].range = { min: 400, max: 200 }; // inverted range
    doc.tags[4].streamId = 'no-such-stream';
    doc.tags[6].component = 'H2'; // component not in the stream
    doc.streams[4].nominal.composition = { CH4: 0.8, C2H6: 0.1 }; // sums to 0.9
    doc.tags[8].unitId = 'P-1'; // level of a pump
    const issues = issuesOf(doc);
    const found = issues.map((issue) => `${issue.code} @ ${issue.path}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'STREAM.DANGLING_END @ streams[3].to',
        'DUPLICATE_ID @ streams[7].id',
        'DUPLICATE_ID @ sites[0].areas[0].units[3].id',
        'DUPLICATE_ID @ tags[9].id',
        'TAG.UNKNOWN_UNIT @ tags[1].unit',
        'TAG.UNIT_INCOMPATIBLE @ tags[2].unit',
        'TAG.RANGE_INVERTED @ tags[3].range',
        'TAG.UNKNOWN_STREAM @ tags[4].streamId',
        'TAG.UNKNOWN_COMPONENT @ tags[6].component',
        'STREAM.COMPOSITION_SUM @ streams[4].nominal.composition',
        'TAG.NO_INVENTORY @ tags[8].unitId',
      ]),
    );
  });

  it('rejects a tag whose nominal value lies outside its range', () => {
    const doc = document();
    doc.tags[0].range = { min: 0, max: 20 }; // 10 kg/s is 36 t/h
    expect(issuesOf(doc)).toEqual([expect.objectContaining({ code: 'TAG.NOMINAL_OUT_OF_RANGE', path: 'tags[0].range' })]);
  });

  it('rejects a volumetric-flow tag on a stream without density', () => {
    const doc = document();
    delete doc.streams[1].nominal.densityKgPerM3;
    expect(issuesOf(doc)).toEqual([expect.objectContaining({ code: 'TAG.NOMINAL_MISSING', path: 'tags[1].streamId' })]);
  });

  it('rejects electricity that carries mass and a stream with no unit at either end', () => {
    const doc = document();
    doc.streams[2].nominal.massFlowKgPerS = 1;
    doc.streams[6].from = null;
    const codes = issuesOf(doc).map((issue) => issue.code);
    expect(codes).toEqual(expect.arrayContaining(['STREAM.MASS_ON_POWER', 'STREAM.BOUNDARY_BOTH_ENDS']));
  });

  it('rejects a tag that names both a stream and a unit', () => {
    const doc = document();
    doc.tags[8].streamId = 'feed';
    expect(issuesOf(doc)).toEqual([expect.objectContaining({ code: 'TAG.TARGET', path: 'tags[8]' })]);
  });

  it('round-trips: a parsed model re-serialised parses to the same model', () => {
    const first = parsePlantModel(SMALL_PLANT_YAML, 'yaml');
    if (!first.ok) throw new Error('fixture invalid');
    const second = parsePlantModel(stringify(first.model), 'yaml');
    expect(second).toEqual(first);
  });
});

describe('plantModelJsonSchema', () => {
  it('describes the document with its required top-level fields and stream ends', () => {
    const schema = plantModelJsonSchema() as { required: string[]; properties: Record<string, { items?: { properties?: Record<string, unknown> } }> };
    expect(schema.required).toEqual(expect.arrayContaining(['schemaVersion', 'plantId', 'name', 'sites']));
    expect(Object.keys(schema.properties.streams.items!.properties!)).toEqual(expect.arrayContaining(['from', 'to', 'nominal']));
  });
});
