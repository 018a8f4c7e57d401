import * as grpc from '@grpc/grpc-js';
import { PLAINTEXT_TRANSPORT, type GrpcClientTransport } from '@reflux/grpc';
import { loadProtoPackage, type refluxBalancingV1 as v1 } from '@reflux/proto';

type Unary<Req, Res> = (request: Req, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response: Res) => void) => grpc.ClientUnaryCall;

/** The read side of reflux.balancing.v1.BalancingService the CLI uses, typed by the generated messages. */
export interface BalancingClient extends grpc.Client {
  getBalance: Unary<v1.GetBalanceRequest, v1.GetBalanceResponse>;
  listSuspects: Unary<v1.ListSuspectsRequest, v1.ListSuspectsResponse>;
}

/** A client of balancing at `address`, plaintext or over TLS (`cliTransport` of the verb's options). */
export function balancingClient(address: string, transport: GrpcClientTransport = PLAINTEXT_TRANSPORT): BalancingClient {
  const loaded = grpc.loadPackageDefinition(loadProtoPackage('reflux/balancing/v1/balancing.proto')) as unknown as {
    reflux: { balancing: { v1: { BalancingService: new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => BalancingClient } } };
  };
  return new loaded.reflux.balancing.v1.BalancingService(address, transport.credentials, { ...transport.options, 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
}
