import { isValidStatusCode, severityOf, StatusCodes } from './quality';
import type { IncomingSample, Sample, SampleBatch, SampleRejection } from './sample';
import type { TagDefinition } from './tag-definition';
import { unitConverter } from './units';
import { InvalidRequestError, type FieldViolation } from './ingestion.errors';

export interface ValidationPolicy {
  /** Server clock, epoch ms. */
  readonly nowMs: number;
  /** How far ahead of the server clock a timestamp may lie, ms. */
  readonly maxFutureSkewMs: number;
  /** How far back a sample may be written (out-of-order and backfill), ms. */
  readonly backfillHorizonMs: number;
}

/**
 * The accepted samples of a batch as parallel arrays (no object per sample beyond the sample
 * itself, which is the incoming one when it needs no conversion), and the rejections.
 */
export interface BatchValidation {
  /** Accepted samples in batch order, values in their tag's unit. */
  readonly valid: Sample[];
  /** The tag of each accepted sample. */
  readonly validTags: TagDefinition[];
  /** The position in the batch of each accepted sample. */
  readonly validIndices: number[];
  readonly rejected: SampleRejection[];
}

export const MAX_CLIENT_BATCH_ID_LENGTH = 128;

/** Checks the batch envelope; bad envelopes fail as a whole, with field-level detail. */
export function assertBatchEnvelope(batch: SampleBatch, maxSamples: number): void {
  const fieldViolations: FieldViolation[] = [];
  if (typeof batch.clientBatchId !== 'string' || batch.clientBatchId.trim() === '') {
    fieldViolations.push({ field: 'client_batch_id', description: 'must be a non-empty string' });
  } else if (batch.clientBatchId.length > MAX_CLIENT_BATCH_ID_LENGTH) {
    fieldViolations.push({ field: 'client_batch_id', description: `must be at most ${MAX_CLIENT_BATCH_ID_LENGTH} characters` });
  }
  if (!Array.isArray(batch.samples) || batch.samples.length === 0) {
    fieldViolations.push({ field: 'samples', description: 'must hold at least one sample' });
  } else if (batch.samples.length > maxSamples) {
    fieldViolations.push({ field: 'samples', description: `must hold at most ${maxSamples} samples, got ${batch.samples.length}` });
  }
  if (fieldViolations.length > 0) throw new InvalidRequestError(fieldViolations);
}

/**
 * Validates each sample against its tag definition and the time window; converts values given in
 * another unit of the same dimension to the tag's unit. Rejections are per sample: the rest of the
 * batch is still accepted.
 */
export function validateSamples(
  samples: readonly IncomingSample[],
  tags: ReadonlyMap<string, TagDefinition>,
  policy: ValidationPolicy,
): BatchValidation {
  const valid: Sample[] = [];
  const validTags: TagDefinition[] = [];
  const validIndices: number[] = [];
  const rejected: SampleRejection[] = [];
  const earliest = policy.nowMs - policy.backfillHorizonMs;
  const latest = policy.nowMs + policy.maxFutureSkewMs;
  for (let index = 0; index < samples.length; index++) {
    const s = samples[index];
    const tag = typeof s.tagId === 'string' ? tags.get(s.tagId) : undefined;
    if (!tag) {
      rejected.push({ index, tagId: String(s.tagId ?? ''), reason: 'UNKNOWN_TAG', detail: `tag "${String(s.tagId)}" is not in the tag catalog` });
      continue;
    }
    let value = s.value;
    let problem = check(s);
    if (!problem && s.unit !== undefined && s.unit !== '' && s.unit !== tag.unit) {
      const convert = unitConverter(s.unit, tag.unit);
      if (convert) value = convert(value);
      else problem = { reason: 'UNIT_MISMATCH', detail: `unit "${s.unit}" does not convert to the tag's unit "${tag.unit}"` };
    }
    if (!problem && tag.digitalStates && !Number.isNaN(value) && !(Number.isInteger(value) && value >= 0 && value < tag.digitalStates.length)) {
      problem = { reason: 'INVALID_STATE', detail: `value ${value} is not a state of ${tag.id}: expected an index 0–${tag.digitalStates.length - 1} (${tag.digitalStates.join(', ')})` };
    }
    if (problem) {
      rejected.push({ index, tagId: tag.id, reason: problem.reason, detail: problem.detail });
      continue;
    }
    // The incoming object is already a stored sample unless it names a unit or omits the quality.
    valid.push(s.unit === undefined && s.quality !== undefined ? (s as Sample) : { tagId: tag.id, timeMs: s.timeMs, value, quality: s.quality ?? StatusCodes.Good });
    validTags.push(tag);
    validIndices.push(index);
  }
  return { valid, validTags, validIndices, rejected };

  /** The time, value and quality checks of a sample of a known tag (the unit is checked as it converts). */
  function check(s: IncomingSample): { reason: SampleRejection['reason']; detail: string } | undefined {
    if (typeof s.timeMs !== 'number' || !Number.isFinite(s.timeMs)) return { reason: 'INVALID_TIMESTAMP', detail: 'time must be a finite instant' };
    const quality = s.quality ?? StatusCodes.Good;
    // An outage is stored as PI stores a system state: NaN with a Bad or Uncertain status.
    const outage = Number.isNaN(s.value) && typeof s.quality === 'number' && isValidStatusCode(quality) && severityOf(quality) !== 'good';
    if (typeof s.value !== 'number' || (!Number.isFinite(s.value) && !outage)) {
      return { reason: 'NON_FINITE_VALUE', detail: `value ${String(s.value)} is not a finite number (NaN is accepted with a Bad or Uncertain quality only)` };
    }
    if (s.timeMs > latest) {
      return { reason: 'TIMESTAMP_IN_FUTURE', detail: `time ${new Date(s.timeMs).toISOString()} is more than ${policy.maxFutureSkewMs / 1000} s ahead of the server clock` };
    }
    if (s.timeMs < earliest) {
      return { reason: 'TIMESTAMP_BEYOND_BACKFILL_HORIZON', detail: `time ${new Date(s.timeMs).toISOString()} is older than the backfill horizon of ${policy.backfillHorizonMs / 1000} s` };
    }
    if (!isValidStatusCode(quality)) return { reason: 'INVALID_QUALITY', detail: `quality 0x${quality.toString(16)} is not an OPC UA StatusCode` };
    return undefined;
  }
}
