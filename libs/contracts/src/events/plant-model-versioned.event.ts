import { z } from 'zod';
import { identifier } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';

export const plantModelVersionedSchema = z.object({
  plantId: identifier,
  /** Monotonic version of the plant's model (topology, tags, units), starting at 1. */
  version: z.number().int('must be an integer').min(1, 'must be ≥ 1'),
});

export type PlantModelVersioned = z.infer<typeof plantModelVersionedSchema>;

export const PlantModelVersionedContract = defineEvent({
  type: 'PlantModelVersioned',
  topic: TOPICS.plantModel,
  description: 'A new version of a plant model was published; consumers reload it before their next computation.',
  schema: plantModelVersionedSchema,
});
