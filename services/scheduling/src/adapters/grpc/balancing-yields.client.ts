import * as grpc from '@grpc/grpc-js';
import { PLAINTEXT_TRANSPORT, type GrpcClientTransport } from '@reflux/grpc';
import { loadProtoPackage, type refluxBalancingV1 as v1 } from '@reflux/proto';
import type { BalancingYields } from '../../domain/reconciled-yields';
import type { ReconciledYieldsPort } from '../../application/reconciled-yields.port';
import { timestampToDate } from './scheduling.grpc-mapper';

export const BALANCING_PROTO = 'reflux/balancing/v1/balancing.proto';

type Unary<Req, Res> = (request: Req, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response: Res) => void) => grpc.ClientUnaryCall;
interface YieldsClient extends grpc.Client {
  getYields: Unary<v1.GetYieldsRequest, v1.GetYieldsResponse>;
}
type ClientConstructor = new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => YieldsClient;

export interface BalancingYieldsClientOptions {
  readonly address: string;
  readonly transport?: GrpcClientTransport;
  /** Bearer token (role viewer) for balancing, minted per call. */
  readonly token: () => string;
  readonly timeoutMs: number;
}

const iso = (t: { seconds: string; nanos: number } | null | undefined): string => (t ? timestampToDate(t) : undefined)?.toISOString() ?? new Date(0).toISOString();

/** `GetYields` of reflux.balancing.v1.BalancingService; NOT_FOUND (no reconciled window yet) reads as none. */
export class BalancingYieldsClient implements ReconciledYieldsPort {
  private readonly client: YieldsClient;

  constructor(private readonly options: BalancingYieldsClientOptions) {
    const loaded = grpc.loadPackageDefinition(loadProtoPackage(BALANCING_PROTO)) as unknown as { reflux: { balancing: { v1: { BalancingService: ClientConstructor } } } };
    const transport = options.transport ?? PLAINTEXT_TRANSPORT;
    this.client = new loaded.reflux.balancing.v1.BalancingService(options.address, transport.credentials, transport.options);
  }

  latest(plantId: string): Promise<BalancingYields | undefined> {
    const metadata = new grpc.Metadata();
    const token = this.options.token();
    if (token) metadata.set('authorization', `Bearer ${token}`);
    return new Promise((resolve, reject) => {
      this.client.getYields({ plantId, unitId: '', windowStartTime: null }, metadata, { deadline: Date.now() + this.options.timeoutMs }, (error, response) => {
        if (error?.code === grpc.status.NOT_FOUND) return resolve(undefined);
        if (error) return reject(error);
        resolve({
          windowStart: iso(response.window?.startTime),
          windowEnd: iso(response.window?.endTime),
          plantModelVersion: response.plantModelVersion,
          yields: response.yields.map((y) => ({ unitId: y.unitId, streamId: y.streamId, yieldRatio: y.yieldRatio })),
        });
      });
    });
  }

  close(): void {
    this.client.close();
  }
}
