import { readFileSync } from 'node:fs';
import { ServerCredentials } from '@grpc/grpc-js';
import { type TlsConfig } from './grpc-platform.config';

/** Server credentials: plaintext without TLS config, TLS, or mutual TLS with clientCa. */
export function serverCredentials(tls: TlsConfig | undefined): ServerCredentials {
  if (!tls) return ServerCredentials.createInsecure();
  return ServerCredentials.createSsl(
    tls.clientCa ? Buffer.from(tls.clientCa) : null,
    [{ cert_chain: Buffer.from(tls.certChain), private_key: Buffer.from(tls.privateKey) }],
    tls.requireClientCert,
  );
}

/** Reads PEM files (Kubernetes secret mounts) into the `tls` section of the configuration. */
export function readTlsFiles(paths: { certChainPath: string; privateKeyPath: string; clientCaPath?: string; requireClientCert?: boolean }): TlsConfig {
  return {
    certChain: readFileSync(paths.certChainPath),
    privateKey: readFileSync(paths.privateKeyPath),
    ...(paths.clientCaPath ? { clientCa: readFileSync(paths.clientCaPath) } : {}),
    requireClientCert: paths.requireClientCert ?? false,
  };
}
