import * as grpc from '@grpc/grpc-js';
import { loadProtoPackage, type refluxSupplyChainV1 as v1 } from '@reflux/proto';
import { SUPPLY_CHAIN_PROTO } from './supply-chain.grpc-service';

type Unary<Req, Res> = (request: Req, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response: Res) => void) => grpc.ClientUnaryCall;

/** grpc-js client of reflux.supply_chain.v1.SupplyChainService, typed by the generated messages (tests, tools). */
export interface SupplyChainClient extends grpc.Client {
  submitOrder: Unary<v1.SubmitOrderRequest, v1.SubmitOrderResponse>;
  changeOrder: Unary<v1.ChangeOrderRequest, v1.ChangeOrderResponse>;
  cancelOrder: Unary<v1.CancelOrderRequest, v1.CancelOrderResponse>;
  listOrders: Unary<v1.ListOrdersRequest, v1.ListOrdersResponse>;
  getAllocation: Unary<v1.GetAllocationRequest, v1.GetAllocationResponse>;
  publishAllocation: Unary<v1.PublishAllocationRequest, v1.PublishAllocationResponse>;
  reportDisruption: Unary<v1.ReportDisruptionRequest, v1.ReportDisruptionResponse>;
  explainAllocation: Unary<v1.ExplainAllocationRequest, v1.ExplainAllocationResponse>;
  optimize(request: v1.OptimizeRequest, metadata: grpc.Metadata): grpc.ClientReadableStream<v1.OptimizeResponse>;
}

export function supplyChainClient(address: string): SupplyChainClient {
  const loaded = grpc.loadPackageDefinition(loadProtoPackage(SUPPLY_CHAIN_PROTO)) as unknown as {
    reflux: { supply_chain: { v1: { SupplyChainService: new (address: string, credentials: grpc.ChannelCredentials) => SupplyChainClient } } };
  };
  return new loaded.reflux.supply_chain.v1.SupplyChainService(address, grpc.credentials.createInsecure());
}

export function bearer(token?: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  if (token) metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

/** Promise form of a unary call with a bearer token. */
export function callSupplyChain<Req, Res>(client: SupplyChainClient, method: Unary<Req, Res>, request: Req, token?: string, timeoutMs = 60_000): Promise<Res> {
  return new Promise((resolve, reject) => {
    method.call(client, request, bearer(token), { deadline: Date.now() + timeoutMs }, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

/** Every message of an Optimize job, in order. */
export function optimizeJob(client: SupplyChainClient, request: v1.OptimizeRequest, token?: string): Promise<v1.OptimizeResponse[]> {
  return new Promise((resolve, reject) => {
    const out: v1.OptimizeResponse[] = [];
    const call = client.optimize(request, bearer(token));
    call.on('data', (m: v1.OptimizeResponse) => out.push(m));
    call.on('error', reject);
    call.on('end', () => resolve(out));
  });
}
