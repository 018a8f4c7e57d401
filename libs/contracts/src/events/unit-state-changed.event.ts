import { z } from 'zod';
import { identifier, instant } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';
import { UNIT_STATES } from './safety.schemas';

export const unitStateChangedSchema = z.object({
  plantId: identifier,
  unitId: identifier,
  area: identifier,
  from: z.enum(['unknown', ...UNIT_STATES]),
  to: z.enum(UNIT_STATES),
  changedAt: instant,
});

export type UnitStateChanged = z.infer<typeof unitStateChangedSchema>;

export const UnitStateChangedContract = defineEvent({
  type: 'UnitStateChanged',
  topic: TOPICS.safety,
  description: 'A process unit changed state (running, startup, shutdown, maintenance, tripped), from the rules on its tags.',
  schema: unitStateChangedSchema,
});
