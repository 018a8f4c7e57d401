import { Root, type Type } from 'protobufjs';
import { join } from 'node:path';
import { REPOSITORY_PROTO_ROOT } from '../platform-protos';

/** The trailer that carries a binary google.rpc.Status (gRPC's "richer error model"). */
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

const TYPE_URL_PREFIX = 'type.googleapis.com/';
export const ERROR_DETAIL_TYPE = 'reflux.common.v1.ErrorDetail';
export const BAD_REQUEST_TYPE = 'google.rpc.BadRequest';

export interface ErrorDetailMessage {
  code: string;
  retriable: boolean;
  message: string;
  metadata: Record<string, string>;
  retryDelayMs?: number;
}

export interface BadRequestViolation {
  field: string;
  description: string;
  reason: string;
}

export interface StatusMessage {
  code: number;
  message: string;
  errorDetail?: ErrorDetailMessage;
  fieldViolations: BadRequestViolation[];
  /** Type URLs of details this codec does not decode. */
  otherDetailTypes: string[];
}

interface Types {
  status: Type;
  errorDetail: Type;
  badRequest: Type;
}

let types: Types | undefined;

/** Loads the message types from the repository's proto tree, once. */
function load(): Types {
  if (!types) {
    const root = new Root();
    root.resolvePath = (_origin, target) => (target.startsWith('/') ? target : join(REPOSITORY_PROTO_ROOT, target));
    // keepCase: the bundled google/protobuf/any.proto definition is snake_case whatever the option
    root.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto', 'reflux/common/v1/error.proto'], { keepCase: true });
    types = { status: root.lookupType('google.rpc.Status'), errorDetail: root.lookupType(ERROR_DETAIL_TYPE), badRequest: root.lookupType(BAD_REQUEST_TYPE) };
  }
  return types;
}

function durationFromMs(ms: number): { seconds: number; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

export function encodeStatusDetails(status: Omit<StatusMessage, 'otherDetailTypes'>): Buffer {
  const t = load();
  const details: { type_url: string; value: Uint8Array }[] = [];
  if (status.errorDetail) {
    const { retryDelayMs, ...detail } = status.errorDetail;
    const message = t.errorDetail.fromObject({ ...detail, ...(retryDelayMs !== undefined ? { retry_delay: durationFromMs(retryDelayMs) } : {}) });
    details.push({ type_url: TYPE_URL_PREFIX + ERROR_DETAIL_TYPE, value: t.errorDetail.encode(message).finish() });
  }
  if (status.fieldViolations.length > 0) {
    const message = t.badRequest.fromObject({ field_violations: status.fieldViolations });
    details.push({ type_url: TYPE_URL_PREFIX + BAD_REQUEST_TYPE, value: t.badRequest.encode(message).finish() });
  }
  return Buffer.from(t.status.encode(t.status.fromObject({ code: status.code, message: status.message, details })).finish());
}

export function decodeStatusDetails(bytes: Uint8Array): StatusMessage {
  const t = load();
  const status = t.status.toObject(t.status.decode(bytes), { defaults: true, longs: Number }) as {
    code: number;
    message: string;
    details: { type_url: string; value: Uint8Array }[];
  };
  const result: StatusMessage = { code: status.code, message: status.message, fieldViolations: [], otherDetailTypes: [] };
  for (const any of status.details) {
    const typeName = any.type_url.slice(any.type_url.lastIndexOf('/') + 1);
    if (typeName === ERROR_DETAIL_TYPE) {
      const d = t.errorDetail.toObject(t.errorDetail.decode(any.value), { defaults: true, longs: Number }) as ErrorDetailMessage & {
        retry_delay: { seconds: number; nanos: number } | null;
      };
      result.errorDetail = {
        code: d.code,
        retriable: d.retriable,
        message: d.message,
        metadata: d.metadata ?? {},
        ...(d.retry_delay ? { retryDelayMs: d.retry_delay.seconds * 1000 + Math.round(d.retry_delay.nanos / 1e6) } : {}),
      };
    } else if (typeName === BAD_REQUEST_TYPE) {
      const b = t.badRequest.toObject(t.badRequest.decode(any.value), { defaults: true }) as { field_violations: BadRequestViolation[] };
      result.fieldViolations.push(...b.field_violations.map(({ field, description, reason }) => ({ field, description, reason })));
    } else {
      result.otherDetailTypes.push(any.type_url);
    }
  }
  return result;
}
