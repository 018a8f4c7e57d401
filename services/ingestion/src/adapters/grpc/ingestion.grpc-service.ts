import { bidiStream, unary, type Role, type ServiceImplementation } from '@reflux/grpc';
import type { refluxIngestionV1 as pb } from '@reflux/proto';
import type { IngestionHandlers } from './ingestion.grpc-handlers';

export const INGESTION_SERVICE = 'reflux.ingestion.v1.IngestionService';
export const INGESTION_PROTO = 'reflux/ingestion/v1/ingestion.proto';

const WRITERS: readonly Role[] = ['ingest'];
const READERS: readonly Role[] = ['viewer', 'operator', 'planner', 'integrator'];

/** IngestionService for @reflux/grpc's GrpcPlatformServer: writes need `ingest`, reads any reading role. */
export function ingestionServiceImplementation(h: IngestionHandlers): ServiceImplementation {
  return {
    WriteMeasurements: bidiStream<pb.WriteMeasurementsRequest, pb.WriteMeasurementsResponse>(WRITERS, (requests) => h.writeMeasurements(requests)),
    Write: unary<pb.WriteRequest, pb.WriteResponse>(WRITERS, (request) => h.write(request)),
    ReadRaw: unary<pb.ReadRawRequest, pb.ReadRawResponse>(READERS, (request) => h.readRaw(request)),
    GetLatest: unary<pb.GetLatestRequest, pb.GetLatestResponse>(READERS, (request) => h.getLatest(request)),
    ReadAggregates: unary<pb.ReadAggregatesRequest, pb.ReadAggregatesResponse>(READERS, (request) => h.readAggregates(request)),
    ReadInterpolated: unary<pb.ReadInterpolatedRequest, pb.ReadInterpolatedResponse>(READERS, (request) => h.readInterpolated(request)),
    ListTags: unary<pb.ListTagsRequest, pb.ListTagsResponse>(READERS, (request) => h.listTags(request)),
  };
}
