import * as grpc from '@grpc/grpc-js';
import { decodeGrpcError } from '@reflux/grpc';
import { loadProtoPackage } from '@reflux/proto';
import { GATEWAY_ERROR_CODES, GatewayError, type GatewayErrorCode } from '../../domain/gateway.errors';
import type { Caller } from '../../application/snapshot-source.port';

type UnaryMethod = (request: unknown, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response: unknown) => void) => void;

const HTTP_OF_STATUS: Partial<Record<number, { http: number; code: GatewayErrorCode }>> = {
  [grpc.status.INVALID_ARGUMENT]: { http: 400, code: GATEWAY_ERROR_CODES.INVALID_ARGUMENT },
  [grpc.status.OUT_OF_RANGE]: { http: 400, code: GATEWAY_ERROR_CODES.INVALID_ARGUMENT },
  [grpc.status.FAILED_PRECONDITION]: { http: 409, code: GATEWAY_ERROR_CODES.UPSTREAM_FAILED },
  [grpc.status.ALREADY_EXISTS]: { http: 409, code: GATEWAY_ERROR_CODES.UPSTREAM_FAILED },
  [grpc.status.ABORTED]: { http: 409, code: GATEWAY_ERROR_CODES.UPSTREAM_FAILED },
  [grpc.status.NOT_FOUND]: { http: 404, code: GATEWAY_ERROR_CODES.NOT_FOUND },
  [grpc.status.UNAUTHENTICATED]: { http: 401, code: GATEWAY_ERROR_CODES.UNAUTHENTICATED },
  [grpc.status.PERMISSION_DENIED]: { http: 403, code: GATEWAY_ERROR_CODES.PERMISSION_DENIED },
  [grpc.status.UNAVAILABLE]: { http: 503, code: GATEWAY_ERROR_CODES.SERVICE_NOT_AVAILABLE },
  [grpc.status.DEADLINE_EXCEEDED]: { http: 504, code: GATEWAY_ERROR_CODES.SERVICE_NOT_AVAILABLE },
};

/** A unary gRPC client of one service that forwards the caller's credential and maps failures to HTTP. */
export class GrpcUpstream {
  private readonly client: grpc.Client & Record<string, UnaryMethod>;

  constructor(
    readonly service: string,
    address: string,
    proto: string,
    servicePath: string,
    private readonly timeoutMs: number,
  ) {
    let node: unknown = grpc.loadPackageDefinition(loadProtoPackage(proto));
    for (const part of servicePath.split('.')) node = (node as Record<string, unknown>)[part];
    const Client = node as new (address: string, credentials: grpc.ChannelCredentials) => grpc.Client & Record<string, UnaryMethod>;
    this.client = new Client(address, grpc.credentials.createInsecure());
  }

  call<Res>(method: string, request: unknown, caller: Caller): Promise<Res> {
    const metadata = new grpc.Metadata();
    if (caller.authorization) metadata.set('authorization', caller.authorization);
    return new Promise((resolve, reject) => {
      this.client[method].call(this.client, request, metadata, { deadline: Date.now() + this.timeoutMs }, (error, response) =>
        error ? reject(this.mapError(error)) : resolve(response as Res),
      );
    });
  }

  close(): void {
    this.client.close();
  }

  private mapError(error: grpc.ServiceError): GatewayError {
    const decoded = decodeGrpcError(error);
    const mapped = HTTP_OF_STATUS[decoded.status] ?? { http: 502, code: GATEWAY_ERROR_CODES.UPSTREAM_FAILED };
    const message = decoded.status === grpc.status.UNAVAILABLE ? `${this.service} service not available: ${decoded.message}` : `${this.service}: ${decoded.message}`;
    return new GatewayError(
      mapped.code,
      message,
      decoded.fieldViolations.map((v) => ({ field: v.field, description: v.description })),
      mapped.http,
      decoded.statusName,
    );
  }
}

/** google.protobuf.Timestamp as the proto loader gives it (seconds as a decimal string). */
export interface GrpcTimestamp {
  seconds?: string | number | null;
  nanos?: number | null;
}

/** google.protobuf.Timestamp (seconds as a decimal string or number, nanos) as ISO-8601. */
export function isoOf(timestamp: GrpcTimestamp | null | undefined): string | undefined {
  if (!timestamp || timestamp.seconds === undefined || timestamp.seconds === null) return undefined;
  return new Date(Number(timestamp.seconds) * 1000 + Math.floor((timestamp.nanos ?? 0) / 1e6)).toISOString();
}

export function timestampOf(date: Date): { seconds: string; nanos: number } {
  const ms = date.getTime();
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}
