/** Held while a plant is optimised; at most one holder per plant across replicas. */
export interface PlantLease {
  release(): Promise<void>;
}

export interface PlantLock {
  /** The plant's lease, or undefined at once when another optimisation holds it. */
  tryAcquire(plantId: string): Promise<PlantLease | undefined>;
}
