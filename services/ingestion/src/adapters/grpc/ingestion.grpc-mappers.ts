import type { refluxIngestionV1 as pb } from '@reflux/proto';
import type { AggregateBucket, InterpolatedValue } from '../../application/history-reader';
import { InvalidRequestError, type FieldViolation, type IngestionError } from '../../domain/ingestion.errors';
import type { AggregateFunction } from '../../domain/read-limits';
import type { BatchAck, Sample } from '../../domain/sample';
import type { DuplicatePolicy, TagDefinition } from '../../domain/tag-definition';

/** google.protobuf.Timestamp as proto-loader gives it: int64 seconds as a decimal string. */
export interface TimestampMsg {
  seconds: string | number;
  nanos: number;
}

export const toMs = (t: TimestampMsg | null | undefined): number => (t ? Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : Number.NaN);

export function toTimestamp(ms: number): { seconds: string; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1e6 };
}

export function ackToProto(ack: BatchAck): pb.BatchAck {
  return {
    clientBatchId: ack.clientBatchId,
    acceptedCount: ack.acceptedCount,
    filteredCount: ack.filteredCount,
    rejected: ack.rejected.map((r) => ({ index: r.index, tagId: r.tagId, reason: `REJECTION_REASON_${r.reason}` as pb.RejectionReason, detail: r.detail })),
    duplicate: ack.duplicate,
    error: null,
  };
}

/** An acknowledgement standing for a batch that was not processed at all. */
export function errorAckToProto(clientBatchId: string, error: IngestionError): pb.BatchAck {
  return {
    clientBatchId,
    acceptedCount: 0,
    filteredCount: 0,
    rejected: [],
    duplicate: false,
    error: { code: error.code, retriable: error.retriable, message: error.message, metadata: fieldMetadata(error.fieldViolations), retryDelay: null },
  };
}

function fieldMetadata(violations: readonly FieldViolation[]): Record<string, string> {
  return Object.fromEntries(violations.map((v) => [v.field, v.description]));
}

export const sampleToProto = (s: Sample, unit?: string): pb.Sample => ({ tagId: s.tagId, time: toTimestamp(s.timeMs), value: s.value, quality: s.quality, unit });

const FUNCTIONS: Record<string, AggregateFunction> = {
  AGGREGATE_FUNCTION_AVG: 'avg',
  AGGREGATE_FUNCTION_MIN: 'min',
  AGGREGATE_FUNCTION_MAX: 'max',
  AGGREGATE_FUNCTION_FIRST: 'first',
  AGGREGATE_FUNCTION_LAST: 'last',
  AGGREGATE_FUNCTION_COUNT: 'count',
  AGGREGATE_FUNCTION_TIME_WEIGHTED_AVG: 'twa',
  AGGREGATE_FUNCTION_GOOD_SHARE: 'goodShare',
  AGGREGATE_FUNCTION_COVERAGE: 'coverage',
};

export function functionsFromProto(fns: readonly string[]): AggregateFunction[] {
  if (fns.length === 0) return ['avg', 'min', 'max', 'first', 'last', 'count', 'goodShare'];
  const violations: FieldViolation[] = [];
  const out = fns.map((f, i) => {
    const fn = FUNCTIONS[f];
    if (!fn) violations.push({ field: `functions[${i}]`, description: `unsupported aggregate function ${f}` });
    return fn;
  });
  if (violations.length > 0) throw new InvalidRequestError(violations);
  return out;
}

export function bucketToProto(b: AggregateBucket, fns: readonly AggregateFunction[]): pb.AggregateBucket {
  const want = (f: AggregateFunction) => fns.includes(f);
  return {
    startTime: toTimestamp(b.startMs),
    endTime: toTimestamp(b.endMs),
    count: String(b.count),
    goodShareRatio: want('goodShare') ? b.goodShare : undefined,
    avg: want('avg') ? b.avg : undefined,
    min: want('min') ? b.min : undefined,
    max: want('max') ? b.max : undefined,
    first: want('first') ? b.first : undefined,
    last: want('last') ? b.last : undefined,
    timeWeightedAvg: want('twa') ? b.twa : undefined,
    coverageRatio: want('coverage') ? b.coverage : undefined,
  };
}

export const interpolatedToProto = (v: InterpolatedValue): pb.InterpolatedValue => ({ time: toTimestamp(v.timeMs), value: v.value, quality: v.quality });

const POLICY: Record<DuplicatePolicy, pb.DuplicatePolicy> = {
  replace: 'DUPLICATE_POLICY_REPLACE' as pb.DuplicatePolicy,
  'keep-first': 'DUPLICATE_POLICY_KEEP_FIRST' as pb.DuplicatePolicy,
  'keep-both': 'DUPLICATE_POLICY_KEEP_BOTH' as pb.DuplicatePolicy,
};

export const tagToProto = (t: TagDefinition): pb.Tag => ({
  id: t.id,
  plantId: t.plantId,
  unit: t.unit,
  min: t.min,
  max: t.max,
  samplingPeriodS: t.samplingPeriodS,
  deadband: t.deadband,
  exceptionMaxS: t.exceptionMaxS,
  stepped: t.stepped ?? false,
  duplicatePolicy: t.duplicatePolicy ? POLICY[t.duplicatePolicy] : ('DUPLICATE_POLICY_UNSPECIFIED' as pb.DuplicatePolicy),
  digitalStates: [...(t.digitalStates ?? [])],
});

/** Milliseconds of a google.protobuf.Duration. */
export const durationMs = (d: { seconds: string | number; nanos: number } | null | undefined): number =>
  d ? Number(d.seconds) * 1000 + (d.nanos ?? 0) / 1e6 : Number.NaN;
