import { readFileSync } from 'node:fs';
import { grpcTlsMaterial, type PlatformConfig } from '@reflux/config';
import type { Role } from '../auth/roles';
import type { GrpcPlatformConfigInput, JwtConfigInput } from './grpc-platform.config';

/** The variables of the JWT configuration, which servers verify with and services mint with. */
export type JwtEnvironment = Pick<
  PlatformConfig,
  'AUTH_JWT_SECRET' | 'AUTH_JWT_PUBLIC_KEY_FILE' | 'AUTH_JWT_ISSUER' | 'AUTH_JWT_AUDIENCE' | 'AUTH_JWT_DEVELOPMENT' | 'AUTH_JWT_MAX_TOKEN_LIFETIME_S'
>;

type GrpcEnvironment = JwtEnvironment &
  Pick<
    PlatformConfig,
    | 'GRPC_HOST'
    | 'GRPC_PORT'
    | 'GRPC_MAX_RECEIVE_MESSAGE_BYTES'
    | 'GRPC_MAX_SEND_MESSAGE_BYTES'
    | 'GRPC_MAX_CONCURRENT_STREAMS'
    | 'GRPC_HEALTH_WATCHES_PER_PEER'
    | 'GRPC_REFLECTION'
    | 'SHUTDOWN_GRACE_MS'
    | 'GRPC_DRAIN_DELAY_MS'
    | 'GRPC_MAX_CONNECTION_AGE_MS'
    | 'GRPC_MAX_CONNECTION_AGE_GRACE_MS'
    | 'AUTH_DISABLED'
    | 'AUTH_API_KEYS'
    | 'TLS_CERT_FILE'
    | 'TLS_KEY_FILE'
    | 'TLS_CLIENT_CA_FILE'
    | 'TLS_REQUIRE_CLIENT_CERT'
  >;

/** The JWT settings (AUTH_JWT_*), or undefined when neither a secret nor a public key is set. */
export function jwtConfigFromEnv(config: JwtEnvironment, readFile: (path: string) => Buffer = readFileSync): JwtConfigInput | undefined {
  if (!config.AUTH_JWT_SECRET && !config.AUTH_JWT_PUBLIC_KEY_FILE) return undefined;
  return {
    hs256Secrets: config.AUTH_JWT_SECRET ? [config.AUTH_JWT_SECRET] : [],
    publicKeys: config.AUTH_JWT_PUBLIC_KEY_FILE ? [{ pem: readFile(config.AUTH_JWT_PUBLIC_KEY_FILE) }] : [],
    development: config.AUTH_JWT_DEVELOPMENT,
    ...(config.AUTH_JWT_ISSUER ? { issuer: config.AUTH_JWT_ISSUER } : {}),
    ...(config.AUTH_JWT_AUDIENCE ? { audience: config.AUTH_JWT_AUDIENCE } : {}),
    ...(config.AUTH_JWT_MAX_TOKEN_LIFETIME_S !== undefined ? { maxTokenLifetimeSeconds: config.AUTH_JWT_MAX_TOKEN_LIFETIME_S } : {}),
  };
}

/**
 * The gRPC server settings of a service from its validated platform configuration (the GRPC_*,
 * AUTH_*, TLS_*, SHUTDOWN_GRACE_MS and the drain and connection-age variables), so that every service reads them the same way.
 * Key and certificate files are read here; an unreadable one raises the config error naming it.
 */
export function grpcPlatformConfigFromEnv(config: GrpcEnvironment, readFile: (path: string) => Buffer = readFileSync): GrpcPlatformConfigInput {
  const jwt = jwtConfigFromEnv(config, readFile);
  const tls = grpcTlsMaterial(config, readFile);
  return {
    host: config.GRPC_HOST,
    port: config.GRPC_PORT,
    maxReceiveMessageBytes: config.GRPC_MAX_RECEIVE_MESSAGE_BYTES,
    maxSendMessageBytes: config.GRPC_MAX_SEND_MESSAGE_BYTES,
    maxConcurrentStreams: config.GRPC_MAX_CONCURRENT_STREAMS,
    maxHealthWatchesPerPeer: config.GRPC_HEALTH_WATCHES_PER_PEER,
    reflection: config.GRPC_REFLECTION,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
    drainDelayMs: config.GRPC_DRAIN_DELAY_MS,
    ...(config.GRPC_MAX_CONNECTION_AGE_MS !== undefined && { maxConnectionAgeMs: config.GRPC_MAX_CONNECTION_AGE_MS }),
    ...(config.GRPC_MAX_CONNECTION_AGE_GRACE_MS !== undefined && { maxConnectionAgeGraceMs: config.GRPC_MAX_CONNECTION_AGE_GRACE_MS }),
    auth: {
      disabled: config.AUTH_DISABLED,
      ...(jwt ? { jwt } : {}),
      apiKeys: (config.AUTH_API_KEYS ?? []).map((k) => ({ id: k.name, sha256: k.sha256Hex, roles: k.roles as Role[] })),
    },
    ...(tls ? { tls: { certChain: tls.cert, privateKey: tls.key, ...(tls.clientCa ? { clientCa: tls.clientCa } : {}), requireClientCert: tls.requireClientCert } } : {}),
  };
}
