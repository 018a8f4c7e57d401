import * as grpc from '@grpc/grpc-js';
import { loadProtoPackage, type refluxBalancingV1 as v1 } from '@reflux/proto';
import { BALANCING_PROTO } from './balancing.grpc-service';

type Unary<Req, Res> = (request: Req, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response: Res) => void) => grpc.ClientUnaryCall;

/** grpc-js client of reflux.balancing.v1.BalancingService, typed by the generated messages (tests, tools). */
export interface BalancingClient extends grpc.Client {
  reconcile: Unary<v1.ReconcileRequest, v1.ReconcileResponse>;
  getBalance: Unary<v1.GetBalanceRequest, v1.GetBalanceResponse>;
  listSuspects: Unary<v1.ListSuspectsRequest, v1.ListSuspectsResponse>;
  getClassification: Unary<v1.GetClassificationRequest, v1.GetClassificationResponse>;
  getYields: Unary<v1.GetYieldsRequest, v1.GetYieldsResponse>;
}

export function balancingClient(address: string): BalancingClient {
  const loaded = grpc.loadPackageDefinition(loadProtoPackage(BALANCING_PROTO)) as unknown as {
    reflux: { balancing: { v1: { BalancingService: new (address: string, credentials: grpc.ChannelCredentials) => BalancingClient } } };
  };
  return new loaded.reflux.balancing.v1.BalancingService(address, grpc.credentials.createInsecure());
}

/** Promise form of a unary call with a bearer token. */
export function callBalancing<Req, Res>(client: BalancingClient, method: Unary<Req, Res>, request: Req, token?: string, timeoutMs = 30_000): Promise<Res> {
  const metadata = new grpc.Metadata();
  if (token) metadata.set('authorization', `Bearer ${token}`);
  return new Promise((resolve, reject) => {
    method.call(client, request, metadata, { deadline: Date.now() + timeoutMs }, (error, response) => (error ? reject(error) : resolve(response)));
  });
}
