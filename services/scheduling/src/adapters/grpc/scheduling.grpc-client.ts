import * as grpc from '@grpc/grpc-js';
import { loadProtoPackage, type refluxSchedulingV1 as v1 } from '@reflux/proto';
import { SCHEDULING_PROTO } from './scheduling.grpc-service';

type Unary<Req, Res> = (request: Req, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response: Res) => void) => grpc.ClientUnaryCall;

/** grpc-js client of reflux.scheduling.v1.SchedulingService, typed by the generated messages (tests, tools). */
export interface SchedulingClient extends grpc.Client {
  optimize(request: v1.OptimizeRequest, metadata: grpc.Metadata): grpc.ClientReadableStream<v1.OptimizeResponse>;
  getJob: Unary<v1.GetJobRequest, v1.GetJobResponse>;
  cancelJob: Unary<v1.CancelJobRequest, v1.CancelJobResponse>;
  getSchedule: Unary<v1.GetScheduleRequest, v1.GetScheduleResponse>;
  publishSchedule: Unary<v1.PublishScheduleRequest, v1.PublishScheduleResponse>;
  explainSchedule: Unary<v1.ExplainScheduleRequest, v1.ExplainScheduleResponse>;
  setDemands: Unary<v1.SetDemandsRequest, v1.SetDemandsResponse>;
  reportUnitState: Unary<v1.ReportUnitStateRequest, v1.ReportUnitStateResponse>;
  setEnergyPrices: Unary<v1.SetEnergyPricesRequest, v1.SetEnergyPricesResponse>;
  listModes: Unary<v1.ListModesRequest, v1.ListModesResponse>;
}

export function schedulingClient(address: string): SchedulingClient {
  const loaded = grpc.loadPackageDefinition(loadProtoPackage(SCHEDULING_PROTO)) as unknown as {
    reflux: { scheduling: { v1: { SchedulingService: new (address: string, credentials: grpc.ChannelCredentials) => SchedulingClient } } };
  };
  return new loaded.reflux.scheduling.v1.SchedulingService(address, grpc.credentials.createInsecure());
}

export function bearer(token?: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  if (token) metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

/** Promise form of a unary call with a bearer token. */
export function callScheduling<Req, Res>(client: SchedulingClient, method: Unary<Req, Res>, request: Req, token?: string, timeoutMs = 30_000): Promise<Res> {
  return new Promise((resolve, reject) => {
    method.call(client, request, bearer(token), { deadline: Date.now() + timeoutMs }, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

/** Every message of an Optimize stream until it ends. */
export function optimizeAll(client: SchedulingClient, request: v1.OptimizeRequest, token?: string): Promise<v1.OptimizeResponse[]> {
  return new Promise((resolve, reject) => {
    const out: v1.OptimizeResponse[] = [];
    const call = client.optimize(request, bearer(token));
    call.on('data', (m: v1.OptimizeResponse) => out.push(m));
    call.on('error', reject);
    call.on('end', () => resolve(out));
  });
}
