import { join, resolve } from 'node:path';

/** Absolute path of the repository's proto tree (`proto/`): the include root of every .proto import. */
export const PROTO_ROOT: string = resolve(__dirname, '..', '..', '..', 'proto');

/** Absolute path of a .proto file given relative to PROTO_ROOT, e.g. `reflux/common/v1/error.proto`. */
export function protoPath(relativePath: string): string {
  return join(PROTO_ROOT, relativePath);
}
