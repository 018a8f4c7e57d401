import { DeciderSpecification, foldEvents } from '@reflux/decider';
import { parse, stringify } from 'yaml';
import { SMALL_PLANT_YAML } from '../model/plant-model.fixture';
import { parsePlantModel } from '../model/plant-model.parse';
import { documentChecksum } from './canonical-json';
import { plantModelDecider, plantModelVersions, type PlantModelEvent } from './plant-model-version.decider';

const spec = DeciderSpecification.for(plantModelDecider);
const modelOf = (text: string) => {
  const result = parsePlantModel(text, 'yaml');
  if (!result.ok) throw new Error('invalid');
  return result.model;
};
const v1Text = SMALL_PLANT_YAML;
const v2Text = SMALL_PLANT_YAML.replace('name: Test plant', 'name: Test plant (revamped)');
const published = (version: number, text: string): PlantModelEvent => {
  const document = modelOf(text);
  return { type: 'PlantModelVersionPublished', data: { plantId: 'test-plant', version, document, checksum: documentChecksum(document) } };
};
const register = (document: string) => ({ type: 'RegisterPlantModel' as const, data: { plantId: 'test-plant', document, format: 'yaml' as const } });
const publish = (document: string, plantId = 'test-plant') => ({ type: 'PublishPlantModelVersion' as const, data: { plantId, document, format: 'yaml' as const } });

describe('plant-model versioning decider', () => {
  it('registers a plant as version 1', () => {
    spec.given([]).when(register(v1Text)).then([published(1, v1Text)]);
  });

  it('publishes a changed document as the next version', () => {
    spec.given([published(1, v1Text)]).when(publish(v2Text)).then([published(2, v2Text)]);
  });

  it('treats publishing the current document again as a no-op, whatever its formatting', () => {
    const reformatted = JSON.stringify(parse(v1Text));
    spec.given([published(1, v1Text)]).when({ ...publish(reformatted), data: { ...publish(reformatted).data, format: 'json' } }).thenNothingHappens();
    spec.given([published(1, v1Text)]).when(register(v1Text)).thenNothingHappens();
  });

  it('publishes a return to an older document as a new version', () => {
    spec.given([published(1, v1Text), published(2, v2Text)]).when(publish(v1Text)).then([published(3, v1Text)]);
  });

  it('rejects registering a different document for a registered plant', () => {
    spec.given([published(1, v1Text)]).when(register(v2Text)).thenThrows('PLANT_MODEL.ALREADY_REGISTERED');
  });

  it('rejects publishing before the plant is registered', () => {
    spec.given([]).when(publish(v1Text)).thenThrows('PLANT_MODEL.NOT_REGISTERED');
  });

  it('rejects a document whose plant id differs from the stream', () => {
    const other = stringify({ ...parse(v1Text), plantId: 'other-plant' });
    spec.given([published(1, v1Text)]).when(publish(other)).thenThrows('PLANT_MODEL.PLANT_MISMATCH');
    spec.given([published(1, v1Text)]).when(publish(v1Text, 'other-plant')).thenThrows('PLANT_MODEL.PLANT_MISMATCH');
  });

  it('rejects an invalid document with every problem in the error details', () => {
    const broken = v1Text.replace('to: TK-1', 'to: TK-9').replace('unit: t/h', 'unit: t/fortnight');
    const error = spec.given([published(1, v1Text)]).when(publish(broken)).thenThrows('PLANT_MODEL.INVALID') as { details: { issues: unknown[] } };
    expect(error.details.issues).toHaveLength(2);
  });

  it('keeps every old version readable from the stream', () => {
    const events = [published(1, v1Text), published(2, v2Text)];
    const versions = plantModelVersions(events);
    expect(versions.get(1)?.document.name).toBe('Test plant');
    expect(versions.get(2)?.document.name).toBe('Test plant (revamped)');
    expect(foldEvents(plantModelDecider, events)).toMatchObject({ plantId: 'test-plant', version: 2 });
  });
});
