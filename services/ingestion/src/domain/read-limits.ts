import { InvalidRequestError, type FieldViolation } from './ingestion.errors';

/** Bounds on history reads, so one request cannot exhaust the database or the process. */
export interface ReadLimits {
  readonly maxTags: number;
  /** Longest time range of one request, ms. */
  readonly maxRangeMs: number;
  /** Most values one response may hold (raw page size, buckets × tags, instants × tags). */
  readonly maxPoints: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxTags: 1000, maxRangeMs: 366 * 86_400_000, maxPoints: 500_000 };

export const AggregateFunctions = ['avg', 'min', 'max', 'first', 'last', 'count', 'twa', 'goodShare', 'coverage'] as const;
export type AggregateFunction = (typeof AggregateFunctions)[number];

export function checkTags(tagIds: readonly string[], limits: ReadLimits, out: FieldViolation[]): void {
  if (!Array.isArray(tagIds) || tagIds.length === 0) out.push({ field: 'tag_ids', description: 'must name at least one tag' });
  else if (tagIds.length > limits.maxTags) out.push({ field: 'tag_ids', description: `must name at most ${limits.maxTags} tags, got ${tagIds.length}` });
  else tagIds.forEach((t, i) => {
    if (typeof t !== 'string' || t === '') out.push({ field: `tag_ids[${i}]`, description: 'must be a non-empty tag id' });
  });
}

export function checkRange(fromMs: number, toMs: number, limits: ReadLimits, out: FieldViolation[]): void {
  if (!Number.isFinite(fromMs)) out.push({ field: 'from', description: 'must be a valid instant' });
  if (!Number.isFinite(toMs)) out.push({ field: 'to', description: 'must be a valid instant' });
  if (Number.isFinite(fromMs) && Number.isFinite(toMs)) {
    if (toMs <= fromMs) out.push({ field: 'to', description: 'must be later than from' });
    else if (toMs - fromMs > limits.maxRangeMs) out.push({ field: 'to', description: `range must not exceed ${limits.maxRangeMs / 1000} s` });
  }
}

export function throwIfAny(fieldViolations: FieldViolation[]): void {
  if (fieldViolations.length > 0) throw new InvalidRequestError(fieldViolations);
}
