import { loadDemoPlant } from '@reflux/plant-model';
import { tagDefinitionsFromPlantModel } from './plant-model-tags';

describe('tagDefinitionsFromPlantModel', () => {
  it('maps every tag of a plant model with its unit, range, sampling period and exception deadband', () => {
    const model = loadDemoPlant('petrochemical');
    const defs = tagDefinitionsFromPlantModel(model);
    expect(defs).toHaveLength(model.tags.length);
    model.tags.forEach((t, i) => {
      expect(defs[i]).toMatchObject({ id: t.id, plantId: model.plantId, unit: t.unit, min: t.range.min, max: t.range.max, samplingPeriodS: t.samplingPeriodS });
      expect(defs[i].deadband).toBe(t.exception?.deadband);
    });
  });
});

describe('tag behaviour from the plant model', () => {
  it('carries stepped, the duplicate policy and digital states (digital tags step)', () => {
    const model = loadDemoPlant('petrochemical');
    const [a, b] = model.tags;
    const defs = tagDefinitionsFromPlantModel({
      ...model,
      tags: [
        { ...a, stepped: true, duplicatePolicy: 'keep-first' },
        { ...b, kind: 'state', unit: '1', digitalStates: ['Closed', 'Open'] },
      ],
    });
    expect(defs[0]).toMatchObject({ stepped: true, duplicatePolicy: 'keep-first' });
    expect(defs[1]).toMatchObject({ stepped: true, digitalStates: ['Closed', 'Open'] });
    expect(defs[1].duplicatePolicy).toBeUndefined();
  });
});
