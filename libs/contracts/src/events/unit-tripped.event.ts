import { z } from 'zod';
import { identifier, instant } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';

export const unitTrippedSchema = z.object({
  plantId: identifier,
  unitId: identifier,
  area: identifier,
  trippedAt: instant,
});

export type UnitTripped = z.infer<typeof unitTrippedSchema>;

export const UnitTrippedContract = defineEvent({
  type: 'UnitTripped',
  topic: TOPICS.safety,
  description: 'A running process unit stopped without a planned shutdown; scheduling and supply chain should react.',
  schema: unitTrippedSchema,
});
