import type { PlantModel } from '@reflux/plant-model';
import type { TagDefinition } from '../../domain/tag-definition';

/**
 * The ingestion view of a plant model's tags: unit, range, sampling period, exception settings,
 * stepping, duplicate policy and digital states (digital tags step).
 */
export function tagDefinitionsFromPlantModel(model: PlantModel): TagDefinition[] {
  return model.tags.map((t) => ({
    id: t.id,
    plantId: model.plantId,
    unit: t.unit,
    min: t.range.min,
    max: t.range.max,
    samplingPeriodS: t.samplingPeriodS,
    ...(t.exception ? { deadband: t.exception.deadband, exceptionMaxS: t.exception.maxIntervalS } : {}),
    ...(t.stepped || t.digitalStates ? { stepped: true } : {}),
    ...(t.duplicatePolicy ? { duplicatePolicy: t.duplicatePolicy } : {}),
    ...(t.compression ? { compression: t.compression } : {}),
    ...(t.digitalStates ? { digitalStates: t.digitalStates } : {}),
  }));
}
