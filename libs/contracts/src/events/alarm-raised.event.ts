import { z } from 'zod';
import { finite, identifier, instant } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';
import { alarmId, alarmPriority } from './safety.schemas';

export const alarmRaisedSchema = z.object({
  plantId: identifier,
  alarmId,
  tagId: identifier,
  /** HH, H, L, LL, ROC (rate of change), DEV (deviation), BAD (bad quality), DISC (transmitter discrepancy). */
  kind: z.enum(['HH', 'H', 'L', 'LL', 'ROC', 'DEV', 'BAD', 'DISC']),
  priority: alarmPriority,
  area: identifier,
  console: identifier,
  /** When the condition became active (sample time, after the on-delay). */
  raisedAt: instant,
  /** Value that raised it and the limit it crossed, in the tag's unit (the limit is absent for bad quality). */
  value: finite,
  limit: finite.optional(),
  reason: z.string().max(500),
});

export type AlarmRaised = z.infer<typeof alarmRaisedSchema>;

export const AlarmRaisedContract = defineEvent({
  type: 'AlarmRaised',
  topic: TOPICS.safety,
  description: 'An alarm condition became active and was annunciated to the operator (ISA-18.2 state unacknowledged active).',
  schema: alarmRaisedSchema,
});
