import type { refluxIngestionV1 as pb } from '@reflux/proto';
import type { HistoryReader } from '../../application/history-reader';
import type { MeasurementWriter } from '../../application/measurement-writer';
import type { TagCatalog } from '../../application/tag-catalog.port';
import type { FieldViolation } from '../../domain/ingestion.errors';
import { throwIfAny } from '../../domain/read-limits';
import type { SampleBatch } from '../../domain/sample';
import {
  ackToProto,
  bucketToProto,
  durationMs,
  errorAckToProto,
  functionsFromProto,
  interpolatedToProto,
  sampleToProto,
  tagToProto,
  toMs,
} from './ingestion.grpc-mappers';

/** A write RPC's request as decodeSampleBatchRequest gives it. */
export interface WriteRequestDecoded {
  readonly batch: SampleBatch;
}

export const DEFAULT_RAW_PAGE_SIZE = 10_000;
export const DEFAULT_TAG_PAGE_SIZE = 1_000;

interface RangeMsg {
  startTime?: { seconds: string; nanos: number } | null;
  endTime?: { seconds: string; nanos: number } | null;
}

/** Both bounds of a TimeRange, with field violations for missing ones. */
function rangeOf(range: RangeMsg | null | undefined, v: FieldViolation[]): { fromMs: number; toMs: number } {
  if (!range?.startTime) v.push({ field: 'range.start_time', description: 'is required' });
  if (!range?.endTime) v.push({ field: 'range.end_time', description: 'is required' });
  return { fromMs: toMs(range?.startTime), toMs: toMs(range?.endTime) };
}

/**
 * The IngestionService RPCs as transport-neutral functions over the application layer, with the
 * signatures of @reflux/grpc's handler kinds (unary: request → response; bidi: async iterable of
 * requests → async iterable of responses). Errors thrown are IngestionErrors (stable `code`,
 * `retriable`, `fieldViolations`) that the gRPC platform maps to statuses.
 */
export function createIngestionHandlers(deps: { writer: MeasurementWriter; reader: HistoryReader; catalog: TagCatalog }) {
  const unitsOf = async (tagIds: readonly string[]) => {
    const tags = await deps.catalog.getTags(tagIds);
    return (id: string) => tags.get(id)?.unit ?? '';
  };

  return {
    /** Bidi: one acknowledgement per batch, in order; pulls the next batch only when admitted. */
    async *writeMeasurements(requests: AsyncIterable<WriteRequestDecoded>, writer = ''): AsyncIterable<pb.WriteMeasurementsResponse> {
      async function* batches(): AsyncGenerator<SampleBatch> {
        for await (const r of requests) yield { ...r.batch, writer };
      }
      for await (const r of deps.writer.writeStream(batches())) {
        yield { ack: r.ack ? ackToProto(r.ack) : errorAckToProto(r.clientBatchId, r.error!) };
      }
    },

    /** `writer`: the authenticated caller's subject (batch ids are unique per writer). */
    async write(request: WriteRequestDecoded, writer = ''): Promise<pb.WriteResponse> {
      return { ack: ackToProto(await deps.writer.write({ ...request.batch, writer })) };
    },

    async readRaw(request: pb.ReadRawRequest): Promise<pb.ReadRawResponse> {
      const v: FieldViolation[] = [];
      const { fromMs, toMs: to } = rangeOf(request.range, v);
      throwIfAny(v);
      const page = await deps.reader.readRaw({
        tagIds: request.tagIds,
        fromMs,
        toMs: to,
        pageSize: request.pageSize === 0 ? DEFAULT_RAW_PAGE_SIZE : request.pageSize,
        pageToken: request.pageToken || undefined,
      });
      const unit = await unitsOf(request.tagIds);
      return { samples: page.samples.map((s) => sampleToProto(s, unit(s.tagId))), nextPageToken: page.nextPageToken ?? '' };
    },

    async getLatest(request: pb.GetLatestRequest): Promise<pb.GetLatestResponse> {
      const latest = await deps.reader.getLatest(request.tagIds);
      const unit = await unitsOf(request.tagIds);
      return { samples: latest.map((s) => sampleToProto(s, unit(s.tagId))) };
    },

    async readAggregates(request: pb.ReadAggregatesRequest): Promise<pb.ReadAggregatesResponse> {
      const v: FieldViolation[] = [];
      const { fromMs, toMs: to } = rangeOf(request.range, v);
      if (!request.bucketWidth) v.push({ field: 'bucket_width', description: 'is required' });
      throwIfAny(v);
      const functions = functionsFromProto(request.functions as string[]);
      const series = await deps.reader.readAggregates({ tagIds: request.tagIds, fromMs, toMs: to, bucketS: durationMs(request.bucketWidth) / 1000, functions, timeZone: request.timeZone || undefined });
      const unit = await unitsOf(request.tagIds);
      return {
        series: request.tagIds.map((tagId) => ({ tagId, unit: unit(tagId), buckets: (series.get(tagId) ?? []).map((b) => bucketToProto(b, functions)) })),
      };
    },

    async readInterpolated(request: pb.ReadInterpolatedRequest): Promise<pb.ReadInterpolatedResponse> {
      const values = await deps.reader.readInterpolated({ tagIds: request.tagIds, instantsMs: request.times.map((t) => toMs(t)) });
      const unit = await unitsOf(request.tagIds);
      return { series: request.tagIds.map((tagId) => ({ tagId, unit: unit(tagId), values: (values.get(tagId) ?? []).map(interpolatedToProto) })) };
    },

    async listTags(request: pb.ListTagsRequest): Promise<pb.ListTagsResponse> {
      const page = await deps.reader.listTags({
        plantId: request.plantId || undefined,
        pageSize: request.pageSize === 0 ? DEFAULT_TAG_PAGE_SIZE : request.pageSize,
        pageToken: request.pageToken || undefined,
      });
      return { tags: page.tags.map(tagToProto), nextPageToken: page.nextPageToken ?? '' };
    },
  };
}

export type IngestionHandlers = ReturnType<typeof createIngestionHandlers>;
