import { z } from 'zod';
import { finite, identifier, instant } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';
import { alarmId } from './safety.schemas';

export const alarmClearedSchema = z.object({
  plantId: identifier,
  alarmId,
  tagId: identifier,
  clearedAt: instant,
  /** Value at the return to normal, in the tag's unit. */
  value: finite,
});

export type AlarmCleared = z.infer<typeof alarmClearedSchema>;

export const AlarmClearedContract = defineEvent({
  type: 'AlarmCleared',
  topic: TOPICS.safety,
  description: 'An annunciated alarm condition returned to normal (beyond the deadband, after the off-delay).',
  schema: alarmClearedSchema,
});
