import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidPlantModelError } from '../model/plant-model.errors';
import { parsePlantModel } from '../model/plant-model.parse';
import type { PlantModel } from '../model/plant-model.schema';

/** The demo plants shipped in `libs/plant-model/plants/`. */
export const DEMO_PLANTS = {
  petrochemical: 'demo-petrochemical-site.yaml',
  steelworks: 'demo-steelworks.yaml',
} as const;

export type DemoPlantName = keyof typeof DEMO_PLANTS;

/** Absolute path of a demo plant's YAML document. */
export const demoPlantPath = (name: DemoPlantName): string => join(__dirname, '..', '..', 'plants', DEMO_PLANTS[name]);

/** Reads the demo plant document text (for publishing it as a version). */
export const readDemoPlantDocument = (name: DemoPlantName): string => readFileSync(demoPlantPath(name), 'utf8');

/** Reads and validates a demo plant. */
export const loadDemoPlant = (name: DemoPlantName): PlantModel => {
  const result = parsePlantModel(readDemoPlantDocument(name), 'yaml');
  if (!result.ok) throw new InvalidPlantModelError(result.issues);
  return result.model;
};
