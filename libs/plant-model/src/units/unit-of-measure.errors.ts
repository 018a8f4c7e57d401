import { PlantModelError } from '../model/plant-model.errors';

export class UnknownUnitOfMeasureError extends PlantModelError {
  constructor(readonly symbol: string) {
    super('UOM.UNKNOWN_UNIT', `unknown unit of measure "${symbol}"`);
  }
}

export class IncompatibleUnitsError extends PlantModelError {
  constructor(from: string, fromKind: string, to: string, toKind: string) {
    super('UOM.INCOMPATIBLE', `cannot convert "${from}" (${fromKind}) to "${to}" (${toKind})`);
  }
}
