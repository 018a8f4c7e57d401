import { z } from 'zod';
import { count, identifier, timeWindow } from '../common.schemas';
import { defineEvent } from '../registry';
import { TOPICS } from '../topics';

export const measurementsIngestedSchema = z
  .object({
    plantId: identifier,
    /** Idempotency key of the ingested batch, as given by the writer. */
    batchId: z.string().min(1, 'must not be empty').max(200),
    /** Tags that received at least one accepted sample. */
    tagIds: z.array(identifier).min(1, 'must name at least one tag').max(100_000),
    /** Interval covering the timestamps of the accepted samples: [start, end). */
    timeRange: timeWindow,
    samplesAccepted: count,
    samplesRejected: count,
  })
  .refine((d) => new Set(d.tagIds).size === d.tagIds.length, { message: 'must not repeat a tag id', path: ['tagIds'] });

export type MeasurementsIngested = z.infer<typeof measurementsIngestedSchema>;

export const MeasurementsIngestedContract = defineEvent({
  type: 'MeasurementsIngested',
  topic: TOPICS.ingestion,
  description: 'A batch of tag samples was stored; downstream balancing may recompute the windows it touches.',
  schema: measurementsIngestedSchema,
});
