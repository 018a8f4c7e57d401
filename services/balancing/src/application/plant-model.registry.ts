import { PlantGraph, type PlantModel } from '@reflux/plant-model';
import { BalancingError, BalancingErrorCode } from '../domain/balancing.errors';

export interface PlantModelVersionRef {
  readonly graph: PlantGraph;
  readonly version: number;
  readonly checksum: string;
}

/** The plant models this service balances, each at its current version. */
export class PlantModelRegistry {
  private readonly plants = new Map<string, PlantModelVersionRef>();

  set(model: PlantModel, version: number, checksum: string): void {
    this.plants.set(model.plantId, { graph: new PlantGraph(model), version, checksum });
  }

  plantIds(): string[] {
    return [...this.plants.keys()].sort();
  }

  has(plantId: string): boolean {
    return this.plants.has(plantId);
  }

  current(plantId: string, field = 'plant_id'): PlantModelVersionRef {
    const ref = this.plants.get(plantId);
    if (!ref)
      throw new BalancingError(BalancingErrorCode.unknownPlant, `no plant model for plant "${plantId}"`, {
        violations: [{ field, description: `unknown plant "${plantId}"; known: ${this.plantIds().join(', ') || 'none'}` }],
      });
    return ref;
  }
}
