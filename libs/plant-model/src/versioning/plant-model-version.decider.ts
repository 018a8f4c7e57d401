import type { Decider } from '@reflux/decider';
import { InvalidPlantModelError, PlantModelError } from '../model/plant-model.errors';
import { parsePlantModel, type PlantModelFormat } from '../model/plant-model.parse';
import type { PlantModel } from '../model/plant-model.schema';
import { documentChecksum } from './canonical-json';

export type PlantModelCommand =
  | {
      readonly type: 'RegisterPlantModel';
      readonly data: { readonly plantId: string; readonly document: string; readonly format: PlantModelFormat };
    }
  | {
      readonly type: 'PublishPlantModelVersion';
      readonly data: { readonly plantId: string; readonly document: string; readonly format: PlantModelFormat };
    };

export type PlantModelEvent = {
  readonly type: 'PlantModelVersionPublished';
  readonly data: {
    readonly plantId: string;
    /** 1 for the registration, then +1 per published change. */
    readonly version: number;
    /** The validated document, defaults applied. */
    readonly document: PlantModel;
    readonly checksum: string;
  };
};

export interface PlantModelState {
  readonly plantId: string | null;
  readonly version: number;
  readonly checksum: string | null;
  readonly model: PlantModel | null;
}

/** Event stream name of one plant's model versions. */
export const plantModelStreamName = (plantId: string): string => `plant-model-${plantId}`;

export const plantModelDecider: Decider<PlantModelCommand, PlantModelEvent, PlantModelState> = {
  initialState: () => ({ plantId: null, version: 0, checksum: null, model: null }),

  decide(command, state) {
    const { plantId } = command.data;
    if (state.plantId !== null && state.plantId !== plantId)
      throw new PlantModelError('PLANT_MODEL.PLANT_MISMATCH', `stream holds plant "${state.plantId}", not "${plantId}"`);
    const model = parseOrThrow(command.data.document, command.data.format);
    if (model.plantId !== plantId)
      throw new PlantModelError(
        'PLANT_MODEL.PLANT_MISMATCH',
        `document describes plant "${model.plantId}" but is published for "${plantId}"`,
        false,
        { expected: plantId, actual: model.plantId },
      );
    const checksum = documentChecksum(model);
    if (checksum === state.checksum) return [];

    switch (command.type) {
      case 'RegisterPlantModel':
        if (state.version > 0)
          throw new PlantModelError('PLANT_MODEL.ALREADY_REGISTERED', `plant "${plantId}" is registered (version ${state.version})`);
        break;
      case 'PublishPlantModelVersion':
        if (state.version === 0)
          throw new PlantModelError('PLANT_MODEL.NOT_REGISTERED', `plant "${plantId}" has no registered model`);
        break;
      default: {
        const exhaustive: never = command;
        throw new Error(`unknown command ${(exhaustive as { type: string }).type}`);
      }
    }
    return [{ type: 'PlantModelVersionPublished', data: { plantId, version: state.version + 1, document: model, checksum } }];
  },

  evolve(state, event) {
    switch (event.type) {
      case 'PlantModelVersionPublished':
        return { plantId: event.data.plantId, version: event.data.version, checksum: event.data.checksum, model: event.data.document };
      default: {
        const exhaustive: never = event.type;
        return exhaustive;
      }
    }
  },
};

const parseOrThrow = (document: string, format: PlantModelFormat): PlantModel => {
  const result = parsePlantModel(document, format);
  if (!result.ok) throw new InvalidPlantModelError(result.issues);
  return result.model;
};

/** Every version of a plant model, by version number, from its event stream. */
export const plantModelVersions = (events: Iterable<PlantModelEvent>): ReadonlyMap<number, PlantModelEvent['data']> => {
  const versions = new Map<number, PlantModelEvent['data']>();
  for (const event of events) versions.set(event.data.version, event.data);
  return versions;
};
