import { parse } from 'yaml';
import { SMALL_PLANT_YAML } from './plant-model.fixture';
import { checkPlantModel } from './plant-model.parse';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const document = () => parse(SMALL_PLANT_YAML) as Record<string, any>;
const pumpState = { id: 'YS-1', unitId: 'P-1', kind: 'state', unit: '1', range: { min: 0, max: 1 }, uncertainty: { standardDeviation: 0.01, basis: 'absolute' }, samplingPeriodS: 1 };

describe('tag behaviour in the plant model: stepped, duplicate policy, digital states, site time zone', () => {
  it('reads stepped tags, a duplicate policy per tag, digital state tags and a site time zone', () => {
    const doc = document();
    doc.sites[0].timeZone = 'Europe/Berlin';
    doc.tags.find((t: { id: string }) => t.id === 'PI-1').stepped = true;
    doc.tags.find((t: { id: string }) => t.id === 'FI-1').duplicatePolicy = 'keep-both';
    doc.tags.push({ ...pumpState, digitalStates: ['Stopped', 'Running'] });
    const result = checkPlantModel(doc);
    expect(result.ok ? [] : result.issues).toEqual([]);
    if (!result.ok) return;
    expect(result.model.sites[0].timeZone).toBe('Europe/Berlin');
    expect(result.model.tags.find((t) => t.id === 'PI-1')?.stepped).toBe(true);
    expect(result.model.tags.find((t) => t.id === 'FI-1')?.duplicatePolicy).toBe('keep-both');
    expect(result.model.tags.find((t) => t.id === 'YS-1')?.digitalStates).toEqual(['Stopped', 'Running']);
  });

  it('rejects a state tag without states, states on a measurement, repeated state names, an unknown policy and an unknown time zone, each at its path', () => {
    const doc = document();
    doc.sites[0].timeZone = 'Europe/Atlantis';
    doc.tags.push(pumpState);
    doc.tags.push({ ...pumpState, id: 'YS-2', digitalStates: ['Open', 'Open'] });
    doc.tags[0].digitalStates = ['Low', 'High'];
    doc.tags[1].duplicatePolicy = 'overwrite';
    const result = checkPlantModel(doc);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['sites[0].timeZone', 'tags[1].duplicatePolicy']));
    const second = checkPlantModel({ ...document(), tags: [...document().tags, pumpState, { ...pumpState, id: 'YS-2', digitalStates: ['Open', 'Open'] }, { ...document().tags[0], id: 'FI-9', digitalStates: ['Low', 'High'] }] });
    expect(second.ok ? [] : second.issues.map((i) => [i.path, i.code])).toEqual([
      ['tags[9].digitalStates', 'TAG.DIGITAL_STATES_MISSING'],
      ['tags[10].digitalStates', 'TAG.DIGITAL_STATES_DUPLICATE'],
      ['tags[11].digitalStates', 'TAG.DIGITAL_STATES_NOT_STATE'],
    ]);
  });
});
