import { resolve } from 'node:path';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';

/**
 * Where the platform finds the .proto files it serves or encodes itself. `libs/grpc` is a util
 * library and may not import `@reflux/proto` (a contracts library), so it resolves the same
 * repository tree by path: `proto/` (google.rpc, reflux.common.v1) and its own vendored
 * grpc.health.v1, which stays outside `proto/` because it predates buf's STANDARD lint rules.
 */
export const REPOSITORY_PROTO_ROOT: string = resolve(__dirname, '..', '..', '..', 'proto');
export const GRPC_LIB_PROTO_ROOT: string = resolve(__dirname, '..', 'proto');

/** The same options as `@reflux/proto`'s loadProtoPackage (see its README for the rationale). */
export function loadPlatformProto(file: string): PackageDefinition {
  return loadSync(file, {
    keepCase: false,
    longs: String,
    enums: String,
    bytes: Buffer,
    defaults: true,
    oneofs: true,
    includeDirs: [GRPC_LIB_PROTO_ROOT, REPOSITORY_PROTO_ROOT],
  });
}
