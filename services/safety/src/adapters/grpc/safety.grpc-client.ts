import * as grpc from '@grpc/grpc-js';
import { loadProtoPackage, type refluxSafetyV1 as v1 } from '@reflux/proto';
import { SAFETY_PROTO } from './safety.grpc-service';

type Unary<Req, Res> = (request: Req, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response: Res) => void) => grpc.ClientUnaryCall;

/** grpc-js client of reflux.safety.v1.SafetyService, typed by the generated messages (tests, tools). */
export interface SafetyClient extends grpc.Client {
  listActiveAlarms: Unary<v1.ListActiveAlarmsRequest, v1.ListActiveAlarmsResponse>;
  getAlarmJournal: Unary<v1.GetAlarmJournalRequest, v1.GetAlarmJournalResponse>;
  getAlarmKpis: Unary<v1.GetAlarmKpisRequest, v1.GetAlarmKpisResponse>;
  acknowledgeAlarm: Unary<v1.AcknowledgeAlarmRequest, v1.AcknowledgeAlarmResponse>;
  shelveAlarm: Unary<v1.ShelveAlarmRequest, v1.ShelveAlarmResponse>;
  unshelveAlarm: Unary<v1.UnshelveAlarmRequest, v1.UnshelveAlarmResponse>;
  commentAlarm: Unary<v1.CommentAlarmRequest, v1.CommentAlarmResponse>;
  removeAlarmFromService: Unary<v1.RemoveAlarmFromServiceRequest, v1.RemoveAlarmFromServiceResponse>;
  returnAlarmToService: Unary<v1.ReturnAlarmToServiceRequest, v1.ReturnAlarmToServiceResponse>;
  listUnitStates: Unary<v1.ListUnitStatesRequest, v1.ListUnitStatesResponse>;
  getAlarmConfiguration: Unary<v1.GetAlarmConfigurationRequest, v1.GetAlarmConfigurationResponse>;
  putAlarmConfiguration: Unary<v1.PutAlarmConfigurationRequest, v1.PutAlarmConfigurationResponse>;
  fitMonitoringModel: Unary<v1.FitMonitoringModelRequest, v1.FitMonitoringModelResponse>;
  importMonitoringModel: Unary<v1.ImportMonitoringModelRequest, v1.ImportMonitoringModelResponse>;
  activateMonitoringModel: Unary<v1.ActivateMonitoringModelRequest, v1.ActivateMonitoringModelResponse>;
  listMonitoringModels: Unary<v1.ListMonitoringModelsRequest, v1.ListMonitoringModelsResponse>;
  replayAlarmConfiguration: Unary<v1.ReplayAlarmConfigurationRequest, v1.ReplayAlarmConfigurationResponse>;
  watchAlarms(request: v1.WatchAlarmsRequest, metadata: grpc.Metadata): grpc.ClientReadableStream<v1.WatchAlarmsResponse>;
}

export function safetyClient(address: string): SafetyClient {
  const loaded = grpc.loadPackageDefinition(loadProtoPackage(SAFETY_PROTO)) as unknown as {
    reflux: { safety: { v1: { SafetyService: new (address: string, credentials: grpc.ChannelCredentials) => SafetyClient } } };
  };
  return new loaded.reflux.safety.v1.SafetyService(address, grpc.credentials.createInsecure());
}

export function bearer(token?: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  if (token) metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

/** Promise form of a unary call with a bearer token. */
export function callSafety<Req, Res>(client: SafetyClient, method: Unary<Req, Res>, request: Req, token?: string, timeoutMs = 30_000): Promise<Res> {
  return new Promise((resolve, reject) => {
    method.call(client, request, bearer(token), { deadline: Date.now() + timeoutMs }, (error, response) => (error ? reject(error) : resolve(response)));
  });
}
