import * as grpc from '@grpc/grpc-js';
import { loadProtoPackage, type refluxIngestionV1 as v1 } from '@reflux/proto';

export type WriteStream = grpc.ClientDuplexStream<v1.WriteMeasurementsRequest, v1.WriteMeasurementsResponse>;

/** The write side of reflux.ingestion.v1.IngestionService. */
export interface IngestionStreamClient extends grpc.Client {
  writeMeasurements(metadata: grpc.Metadata, options?: grpc.CallOptions): WriteStream;
}

type ClientConstructor = new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => IngestionStreamClient;
let ctor: ClientConstructor | undefined;

/** A client of ingestion's write stream; TLS credentials and their channel options (server name override) when given. */
export function ingestionStreamClient(address: string, credentials = grpc.credentials.createInsecure(), options: grpc.ClientOptions = {}): IngestionStreamClient {
  if (!ctor) {
    const loaded = grpc.loadPackageDefinition(loadProtoPackage('reflux/ingestion/v1/ingestion.proto')) as unknown as {
      reflux: { ingestion: { v1: { IngestionService: ClientConstructor } } };
    };
    ctor = loaded.reflux.ingestion.v1.IngestionService;
  }
  return new ctor(address, credentials, { ...options, 'grpc.max_send_message_length': 16 * 1024 * 1024, 'grpc.max_receive_message_length': 16 * 1024 * 1024 });
}

/**
 * Stream failures a store-and-forward writer waits out: ingestion down, restarting or overloaded,
 * the connection reset. Anything else (UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT,
 * UNIMPLEMENTED, …) will not heal by retrying.
 */
export function isTransient(code: grpc.status | undefined): boolean {
  return (
    code === undefined ||
    code === grpc.status.UNAVAILABLE ||
    code === grpc.status.CANCELLED ||
    code === grpc.status.DEADLINE_EXCEEDED ||
    code === grpc.status.RESOURCE_EXHAUSTED ||
    code === grpc.status.ABORTED ||
    code === grpc.status.INTERNAL ||
    code === grpc.status.UNKNOWN
  );
}
