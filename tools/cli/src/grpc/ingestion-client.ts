import * as grpc from '@grpc/grpc-js';
import { PLAINTEXT_TRANSPORT, type GrpcClientTransport } from '@reflux/grpc';
import { loadProtoPackage, type refluxIngestionV1 as v1 } from '@reflux/proto';

type Unary<Req, Res> = (request: Req, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response: Res) => void) => grpc.ClientUnaryCall;

/** The grpc-js client of reflux.ingestion.v1.IngestionService, typed by the generated messages. */
export interface IngestionClient extends grpc.Client {
  writeMeasurements(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<v1.WriteMeasurementsRequest, v1.WriteMeasurementsResponse>;
  write: Unary<v1.WriteRequest, v1.WriteResponse>;
  readRaw: Unary<v1.ReadRawRequest, v1.ReadRawResponse>;
  getLatest: Unary<v1.GetLatestRequest, v1.GetLatestResponse>;
  readAggregates: Unary<v1.ReadAggregatesRequest, v1.ReadAggregatesResponse>;
  readInterpolated: Unary<v1.ReadInterpolatedRequest, v1.ReadInterpolatedResponse>;
  listTags: Unary<v1.ListTagsRequest, v1.ListTagsResponse>;
}

let ClientCtor: (new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => IngestionClient) | undefined;

/** A client of ingestion at `address`, plaintext or over TLS (`cliTransport` of the verb's options). */
export function ingestionClient(address: string, transport: GrpcClientTransport = PLAINTEXT_TRANSPORT): IngestionClient {
  if (!ClientCtor) {
    const loaded = grpc.loadPackageDefinition(loadProtoPackage('reflux/ingestion/v1/ingestion.proto')) as unknown as {
      reflux: { ingestion: { v1: { IngestionService: typeof ClientCtor } } };
    };
    ClientCtor = loaded.reflux.ingestion.v1.IngestionService;
  }
  return new ClientCtor!(address, transport.credentials, {
    ...transport.options,
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
    'grpc.max_send_message_length': 16 * 1024 * 1024,
  });
}

/** Promise form of a unary call. */
export function unary<Req, Res>(call: Unary<Req, Res>, client: grpc.Client, request: Req, metadata: grpc.Metadata, timeoutMs = 30_000): Promise<Res> {
  return new Promise((resolve, reject) => {
    call.call(client, request, metadata, { deadline: Date.now() + timeoutMs }, (error, response) => (error ? reject(error) : resolve(response)));
  });
}
