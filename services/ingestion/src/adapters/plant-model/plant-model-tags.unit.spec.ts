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
