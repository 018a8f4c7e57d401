import type { PackageDefinition, ServiceDefinition } from '@grpc/proto-loader';
import { bidiStream, unary, type Role, type ServiceImplementation } from '@reflux/grpc';
import { loadProtoPackage, type refluxIngestionV1 as pb } from '@reflux/proto';
import type { IngestionHandlers, WriteRequestDecoded } from './ingestion.grpc-handlers';
import { decodeSampleBatchRequest } from './sample-batch.decoder';

export const INGESTION_SERVICE = 'reflux.ingestion.v1.IngestionService';
export const INGESTION_PROTO = 'reflux/ingestion/v1/ingestion.proto';

/**
 * The IngestionService package, with the write RPCs' requests decoded by decodeSampleBatchRequest
 * (straight into domain samples) instead of the generic protobufjs decoder; the wire contract and
 * reflection are unchanged.
 */
export function ingestionPackageDefinition(): PackageDefinition {
  const pkg = loadProtoPackage(INGESTION_PROTO);
  const service = pkg[INGESTION_SERVICE] as ServiceDefinition;
  return {
    ...pkg,
    [INGESTION_SERVICE]: {
      ...service,
      WriteMeasurements: { ...service.WriteMeasurements, requestDeserialize: decodeSampleBatchRequest },
      Write: { ...service.Write, requestDeserialize: decodeSampleBatchRequest },
    },
  };
}

const WRITERS: readonly Role[] = ['ingest'];
const READERS: readonly Role[] = ['viewer', 'operator', 'planner', 'integrator'];

/**
 * IngestionService for @reflux/grpc's GrpcPlatformServer (register it with ingestionPackageDefinition()):
 * writes need `ingest`, reads any reading role.
 */
export function ingestionServiceImplementation(h: IngestionHandlers): ServiceImplementation {
  return {
    WriteMeasurements: bidiStream<WriteRequestDecoded, pb.WriteMeasurementsResponse>(WRITERS, (requests, ctx) => h.writeMeasurements(requests, ctx.principal.subject)),
    Write: unary<WriteRequestDecoded, pb.WriteResponse>(WRITERS, (request, ctx) => h.write(request, ctx.principal.subject)),
    ReadRaw: unary<pb.ReadRawRequest, pb.ReadRawResponse>(READERS, (request) => h.readRaw(request)),
    GetLatest: unary<pb.GetLatestRequest, pb.GetLatestResponse>(READERS, (request) => h.getLatest(request)),
    ReadAggregates: unary<pb.ReadAggregatesRequest, pb.ReadAggregatesResponse>(READERS, (request) => h.readAggregates(request)),
    ReadInterpolated: unary<pb.ReadInterpolatedRequest, pb.ReadInterpolatedResponse>(READERS, (request) => h.readInterpolated(request)),
    ListTags: unary<pb.ListTagsRequest, pb.ListTagsResponse>(READERS, (request) => h.listTags(request)),
  };
}
