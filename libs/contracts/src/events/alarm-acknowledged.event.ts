import { z } from 'zod';
import { identifier, instant } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';
import { alarmId } from './safety.schemas';

export const alarmAcknowledgedSchema = z.object({
  plantId: identifier,
  alarmId,
  acknowledgedAt: instant,
  /** The operator (authenticated principal). */
  by: z.string().min(1).max(200),
});

export type AlarmAcknowledged = z.infer<typeof alarmAcknowledgedSchema>;

export const AlarmAcknowledgedContract = defineEvent({
  type: 'AlarmAcknowledged',
  topic: TOPICS.safety,
  description: 'An operator acknowledged an alarm.',
  schema: alarmAcknowledgedSchema,
});
