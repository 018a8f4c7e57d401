import { z } from 'zod';
import { identifier, timeWindow } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';

export const grossErrorClearedSchema = z.object({
  plantId: identifier,
  window: timeWindow,
  /** The revision of the window's balance in which the suspect no longer holds. */
  revision: z.number().int().min(1, 'must be ≥ 1'),
  /** What was suspected: a measurement (`GrossErrorSuspected`) or a unit's loss (`LossSuspected`). */
  suspect: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('measurement'), tagId: identifier, streamId: identifier, component: identifier.optional() }),
    z.object({ kind: z.literal('loss'), unitId: identifier }),
  ]),
});

export type GrossErrorCleared = z.infer<typeof grossErrorClearedSchema>;

export const GrossErrorClearedContract = defineEvent({
  type: 'GrossErrorCleared',
  topic: TOPICS.balancing,
  description: 'A suspect published for a window no longer holds after the window was revised with late measurements.',
  schema: grossErrorClearedSchema,
});
