import { loadSync, type Options, type PackageDefinition } from '@grpc/proto-loader';
import { PROTO_ROOT } from './proto-root';

/**
 * The @grpc/proto-loader options the whole platform uses. The generated TypeScript types
 * (ts-proto, options in buf.gen.yaml) describe exactly the objects these options produce:
 * - keepCase: false  -> fields are lowerCamelCase (`mass_flow_kg_per_s` -> `massFlowKgPerS`).
 * - longs: String    -> 64-bit integers are decimal strings: exact beyond 2^53 (sequence numbers,
 *                       nanosecond epochs), JSON-safe. Parse with BigInt() where arithmetic is needed.
 * - enums: String    -> enum values are their names (`"SERVING"`), stable across renumbering.
 * - defaults: true   -> absent scalars arrive as their zero value, absent messages as null.
 * - oneofs: true     -> a virtual property named after each oneof holds the name of the set field.
 * - includeDirs      -> PROTO_ROOT first (our protos and vendored google/rpc); google/protobuf
 *                       well-known types come bundled with protobufjs.
 */
export const PROTO_LOADER_OPTIONS: Readonly<Options> = Object.freeze({
  keepCase: false,
  longs: String,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
});

/**
 * Loads .proto files (paths relative to PROTO_ROOT, e.g. `reflux/ingestion/v1/ingestion.proto`, or
 * absolute) into a package definition for grpc-js `loadPackageDefinition`, `Server.addService` and
 * server reflection. `extraIncludeDirs` are searched after PROTO_ROOT (test fixtures, vendored trees).
 */
export function loadProtoPackage(files: string | readonly string[], extraIncludeDirs: readonly string[] = []): PackageDefinition {
  const list = typeof files === 'string' ? [files] : [...files];
  if (list.length === 0) throw new Error('loadProtoPackage: at least one .proto file is required');
  return loadSync(list, { ...PROTO_LOADER_OPTIONS, includeDirs: [PROTO_ROOT, ...extraIncludeDirs] });
}
