import * as grpc from '@grpc/grpc-js';
import { PLAINTEXT_TRANSPORT, type GrpcClientTransport } from '@reflux/grpc';
import { loadProtoPackage, type refluxIngestionV1 as v1 } from '@reflux/proto';

type Unary<Req, Res> = (request: Req, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response: Res) => void) => grpc.ClientUnaryCall;

/** The read side of reflux.ingestion.v1.IngestionService that balancing uses. */
export interface IngestionReadClient extends grpc.Client {
  readAggregates: Unary<v1.ReadAggregatesRequest, v1.ReadAggregatesResponse>;
  readInterpolated: Unary<v1.ReadInterpolatedRequest, v1.ReadInterpolatedResponse>;
  listTags: Unary<v1.ListTagsRequest, v1.ListTagsResponse>;
}

type ClientConstructor = new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => IngestionReadClient;
let ctor: ClientConstructor | undefined;

/** A client of ingestion's read RPCs over `transport` (plaintext, TLS or mutual TLS). */
export function ingestionReadClient(address: string, transport: GrpcClientTransport = PLAINTEXT_TRANSPORT): IngestionReadClient {
  if (!ctor) {
    const loaded = grpc.loadPackageDefinition(loadProtoPackage('reflux/ingestion/v1/ingestion.proto')) as unknown as {
      reflux: { ingestion: { v1: { IngestionService: ClientConstructor } } };
    };
    ctor = loaded.reflux.ingestion.v1.IngestionService;
  }
  return new ctor(address, transport.credentials, { ...transport.options, 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
}

/** Promise form of a unary call with a deadline, cancelled when `signal` aborts. */
export function callUnary<Req, Res>(call: Unary<Req, Res>, client: grpc.Client, request: Req, metadata: grpc.Metadata, timeoutMs: number, signal?: AbortSignal): Promise<Res> {
  return new Promise((resolve, reject) => {
    const pending = call.call(client, request, metadata, { deadline: Date.now() + timeoutMs }, (error, response) => {
      signal?.removeEventListener('abort', cancel);
      if (error) reject(error);
      else resolve(response);
    });
    const cancel = () => pending.cancel();
    signal?.addEventListener('abort', cancel, { once: true });
  });
}
