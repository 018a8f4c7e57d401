import { readFileSync } from 'node:fs';
import { credentials, type ChannelCredentials, type ClientOptions } from '@grpc/grpc-js';
import { ConfigError, readPemVariable, type ConfigIssue } from '@reflux/config';

/** How a service reaches another service's gRPC API: the credentials and channel options to use. */
export interface GrpcClientTransport {
  readonly credentials: ChannelCredentials;
  readonly options: ClientOptions;
  readonly tls: boolean;
}

/** The `<PREFIX>_TLS*` settings of a client (e.g. INGESTION_TLS, INGESTION_TLS_CA_FILE, …). */
export interface GrpcClientTlsSettings {
  /** TLS with the system's CAs, even without a CA file. */
  readonly enabled?: boolean;
  /** PEM CA that signs the server certificate; implies TLS. */
  readonly caFile?: string;
  /** PEM client certificate and key for mutual TLS; both or neither. */
  readonly certFile?: string;
  readonly keyFile?: string;
  /** Name the server certificate must carry when it differs from the host of the address. */
  readonly serverName?: string;
}

/** Plaintext HTTP/2: inside a cluster whose network already encrypts, or on loopback. */
export const PLAINTEXT_TRANSPORT: GrpcClientTransport = { credentials: credentials.createInsecure(), options: {}, tls: false };

/**
 * The transport of a gRPC client from its TLS settings, read now so that a missing or non-PEM
 * file stops the start naming its variable (`<prefix>_CA_FILE`, `<prefix>_CERT_FILE`,
 * `<prefix>_KEY_FILE`). Plaintext unless `enabled` or a CA file is given.
 */
export function grpcClientTransport(settings: GrpcClientTlsSettings, prefix: string, readFile: (path: string) => Buffer = readFileSync): GrpcClientTransport {
  const issues: ConfigIssue[] = [];
  if (Boolean(settings.certFile) !== Boolean(settings.keyFile)) {
    issues.push({ variable: settings.certFile ? `${prefix}_KEY_FILE` : `${prefix}_CERT_FILE`, message: `required together with ${settings.certFile ? `${prefix}_CERT_FILE` : `${prefix}_KEY_FILE`} (a client certificate needs its key)` });
  }
  const tls = Boolean(settings.enabled || settings.caFile);
  if (!tls) {
    for (const [value, name] of [[settings.certFile, 'CERT_FILE'], [settings.serverName, 'SERVER_NAME']] as const) {
      if (value) issues.push({ variable: `${prefix}_${name}`, message: `set, but TLS is off; set ${prefix}_CA_FILE or ${prefix}=true` });
    }
  }
  const ca = settings.caFile ? readPemVariable(settings.caFile, `${prefix}_CA_FILE`, issues, readFile) : undefined;
  const cert = settings.certFile ? readPemVariable(settings.certFile, `${prefix}_CERT_FILE`, issues, readFile) : undefined;
  const key = settings.keyFile ? readPemVariable(settings.keyFile, `${prefix}_KEY_FILE`, issues, readFile) : undefined;
  if (issues.length > 0) throw new ConfigError(issues);
  if (!tls) return PLAINTEXT_TRANSPORT;
  const options: ClientOptions = settings.serverName ? { 'grpc.ssl_target_name_override': settings.serverName, 'grpc.default_authority': settings.serverName } : {};
  return { credentials: credentials.createSsl(ca ?? null, key ?? null, cert ?? null), options, tls: true };
}
