import { z } from 'zod';
import { identifier, instant } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';
import { alarmId } from './safety.schemas';

export const alarmShelvedSchema = z.object({
  plantId: identifier,
  alarmId,
  shelvedAt: instant,
  expiresAt: instant,
  by: z.string().min(1).max(200),
  reason: z.string().min(1).max(500),
});

export type AlarmShelved = z.infer<typeof alarmShelvedSchema>;

export const AlarmShelvedContract = defineEvent({
  type: 'AlarmShelved',
  topic: TOPICS.safety,
  description: 'An operator shelved an alarm until a time, with a reason.',
  schema: alarmShelvedSchema,
});
