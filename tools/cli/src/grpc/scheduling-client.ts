import * as grpc from '@grpc/grpc-js';
import { PLAINTEXT_TRANSPORT, type GrpcClientTransport } from '@reflux/grpc';
import { loadProtoPackage, type refluxSchedulingV1 as v1 } from '@reflux/proto';

type Unary<Req, Res> = (request: Req, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response: Res) => void) => grpc.ClientUnaryCall;

/** The RPCs of reflux.scheduling.v1.SchedulingService the CLI uses, typed by the generated messages. */
export interface SchedulingClient extends grpc.Client {
  getSchedule: Unary<v1.GetScheduleRequest, v1.GetScheduleResponse>;
  setEnergyPrices: Unary<v1.SetEnergyPricesRequest, v1.SetEnergyPricesResponse>;
}

/** A client of scheduling at `address`, plaintext or over TLS (`cliTransport` of the verb's options). */
export function schedulingClient(address: string, transport: GrpcClientTransport = PLAINTEXT_TRANSPORT): SchedulingClient {
  const loaded = grpc.loadPackageDefinition(loadProtoPackage('reflux/scheduling/v1/scheduling.proto')) as unknown as {
    reflux: { scheduling: { v1: { SchedulingService: new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => SchedulingClient } } };
  };
  return new loaded.reflux.scheduling.v1.SchedulingService(address, transport.credentials, transport.options);
}
