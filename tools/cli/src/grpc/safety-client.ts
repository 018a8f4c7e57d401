import * as grpc from '@grpc/grpc-js';
import { PLAINTEXT_TRANSPORT, type GrpcClientTransport } from '@reflux/grpc';
import { loadProtoPackage, type refluxSafetyV1 as v1 } from '@reflux/proto';

type Unary<Req, Res> = (request: Req, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response: Res) => void) => grpc.ClientUnaryCall;

/** The parts of reflux.safety.v1.SafetyService the CLI uses, typed by the generated messages. */
export interface SafetyClient extends grpc.Client {
  listActiveAlarms: Unary<v1.ListActiveAlarmsRequest, v1.ListActiveAlarmsResponse>;
  getAlarmJournal: Unary<v1.GetAlarmJournalRequest, v1.GetAlarmJournalResponse>;
  getAlarmKpis: Unary<v1.GetAlarmKpisRequest, v1.GetAlarmKpisResponse>;
  replayAlarmConfiguration: Unary<v1.ReplayAlarmConfigurationRequest, v1.ReplayAlarmConfigurationResponse>;
  getAlarmConfiguration: Unary<v1.GetAlarmConfigurationRequest, v1.GetAlarmConfigurationResponse>;
  listMonitoringModels: Unary<v1.ListMonitoringModelsRequest, v1.ListMonitoringModelsResponse>;
  fitMonitoringModel: Unary<v1.FitMonitoringModelRequest, v1.FitMonitoringModelResponse>;
  importMonitoringModel: Unary<v1.ImportMonitoringModelRequest, v1.ImportMonitoringModelResponse>;
  activateMonitoringModel: Unary<v1.ActivateMonitoringModelRequest, v1.ActivateMonitoringModelResponse>;
}

/** A client of safety at `address`, plaintext or over TLS (`cliTransport` of the verb's options). */
export function safetyClient(address: string, transport: GrpcClientTransport = PLAINTEXT_TRANSPORT): SafetyClient {
  const loaded = grpc.loadPackageDefinition(loadProtoPackage('reflux/safety/v1/safety.proto')) as unknown as {
    reflux: { safety: { v1: { SafetyService: new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => SafetyClient } } };
  };
  return new loaded.reflux.safety.v1.SafetyService(address, transport.credentials, transport.options);
}
