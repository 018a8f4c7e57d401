import { z } from 'zod';
import { ROLES } from '../auth/roles';

const MiB = 1024 * 1024;
const pem = z.union([z.string().min(1), z.instanceof(Buffer)]);

/** Lifetime caps (`exp - iat`), in seconds, when `maxTokenLifetimeSeconds` is not set. */
export const DEFAULT_MAX_TOKEN_LIFETIME_S = 12 * 3600;
export const DEVELOPMENT_MAX_TOKEN_LIFETIME_S = 7 * 24 * 3600;

const jwtSchema = z
  .object({
    /** Shared secrets for HS256 tokens; several allow rotation. At least 32 bytes each. */
    hs256Secrets: z.array(z.string().min(32, 'an HS256 secret must be at least 32 characters')).default([]),
    /** PEM public keys for RS256/ES256 tokens; `kid` selects one when the token names it. */
    publicKeys: z.array(z.object({ kid: z.string().min(1).optional(), pem: pem })).default([]),
    /**
     * The HS256 secret is the local development secret of `npm start` (and of tests): `iss`/`aud`
     * are then checked only when configured, and the lifetime cap defaults to 7 days. Anything else
     * (public keys, a production secret) must name the issuer and the audience it accepts.
     */
    development: z.boolean().default(false),
    /** Required `iss` claim. Mandatory unless `development`. */
    issuer: z.string().min(1).optional(),
    /** Required `aud` claim (any of). Mandatory unless `development`. */
    audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    /**
     * Longest accepted token lifetime (`exp - iat`, or `exp - now` without `iat`), in seconds.
     * Default 12 h, 7 days with `development`.
     */
    maxTokenLifetimeSeconds: z.number().int().min(60).max(30 * 24 * 3600).optional(),
    /** Claim holding the role list (array of strings or space-separated string). */
    rolesClaim: z.string().min(1).default('roles'),
    /** Tolerated clock skew for exp/nbf/iat, in seconds. */
    clockToleranceSeconds: z.number().int().min(0).max(300).default(5),
  })
  .superRefine((jwt, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (jwt.hs256Secrets.length === 0 && jwt.publicKeys.length === 0) issue('hs256Secrets', 'jwt needs hs256Secrets and/or publicKeys');
    if (jwt.development && jwt.publicKeys.length > 0) issue('development', 'only an HS256 development secret can be marked development, not public keys');
    if (!jwt.development) {
      const why = 'required unless the key is the local development secret (development: true): a token issued for another application must not be accepted';
      if (jwt.issuer === undefined) issue('issuer', why);
      if (jwt.audience === undefined) issue('audience', why);
    }
  });

/** The lifetime cap that applies to a JWT configuration, in seconds. */
export function maxTokenLifetimeSeconds(jwt: Pick<JwtConfig, 'development' | 'maxTokenLifetimeSeconds'>): number {
  return jwt.maxTokenLifetimeSeconds ?? (jwt.development ? DEVELOPMENT_MAX_TOKEN_LIFETIME_S : DEFAULT_MAX_TOKEN_LIFETIME_S);
}

const apiKeySchema = z.object({
  /** Public identifier of the key (appears in logs as subject `apikey:<id>`). */
  id: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, underscore, hyphen'),
  /** Lower-case hex SHA-256 of the key; the key itself is never configured. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex SHA-256 digest (64 characters)'),
  roles: z.array(z.enum(ROLES)).min(1),
});

const authSchema = z
  .object({
    /** Turns authentication off. Only for isolated development; the server logs a loud warning. */
    disabled: z.boolean().default(false),
    jwt: jwtSchema.optional(),
    apiKeys: z.array(apiKeySchema).default([]),
  })
  .refine((auth) => auth.disabled || auth.jwt !== undefined || auth.apiKeys.length > 0, {
    message: 'configure jwt and/or apiKeys, or set disabled: true explicitly',
  })
  .refine((auth) => new Set(auth.apiKeys.map((k) => k.id)).size === auth.apiKeys.length, {
    message: 'api key ids must be unique',
    path: ['apiKeys'],
  });

const tlsSchema = z
  .object({
    /** PEM server certificate chain. */
    certChain: pem,
    /** PEM private key of the server certificate. */
    privateKey: pem,
    /** PEM CA bundle that client certificates must chain to (mutual TLS). */
    clientCa: pem.optional(),
    /** Reject clients that present no valid certificate (mutual TLS). Needs clientCa. */
    requireClientCert: z.boolean().default(false),
  })
  .refine((tls) => !tls.requireClientCert || tls.clientCa !== undefined, {
    message: 'requireClientCert needs clientCa',
    path: ['clientCa'],
  });

export const grpcPlatformConfigSchema = z.object({
  host: z.string().min(1).default('0.0.0.0'),
  /** TCP port; 0 binds an ephemeral port (tests). */
  port: z.number().int().min(0).max(65535).default(50051),
  maxReceiveMessageBytes: z.number().int().min(1024).default(4 * MiB),
  maxSendMessageBytes: z.number().int().min(1024).default(4 * MiB),
  /** Time after health turns NOT_SERVING before the listener stops, so load balancers notice. */
  drainDelayMs: z.number().int().min(0).default(0),
  /** How long in-flight calls may run after shutdown starts before they are cancelled. */
  shutdownGraceMs: z.number().int().min(0).default(10_000),
  /**
   * Close connections after this age (plus maxConnectionAgeGraceMs for their calls) so clients
   * reconnect and spread over new replicas behind a Kubernetes Service. Unset: never.
   */
  maxConnectionAgeMs: z.number().int().min(1000).optional(),
  maxConnectionAgeGraceMs: z.number().int().min(0).optional(),
  /** Server-side HTTP/2 keepalive pings, to detect dead clients behind NAT/firewalls. Unset: off. */
  keepaliveTimeMs: z.number().int().min(1000).optional(),
  keepaliveTimeoutMs: z.number().int().min(100).optional(),
  /** HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS: calls one connection may have open at once. */
  maxConcurrentStreams: z.number().int().min(1).max(2 ** 31 - 1).default(100),
  /** Open grpc.health.v1 Watch streams per remote address (Watch needs no credentials). */
  maxHealthWatchesPerPeer: z.number().int().min(1).default(16),
  /** Serve gRPC server reflection (grpcurl list/describe) without credentials. Off unless asked for. */
  reflection: z.boolean().default(false),
  tls: tlsSchema.optional(),
  auth: authSchema,
});

/** Input form (defaults optional). */
export type GrpcPlatformConfigInput = z.input<typeof grpcPlatformConfigSchema>;
/** Validated form. */
export type GrpcPlatformConfig = z.output<typeof grpcPlatformConfigSchema>;
export type JwtConfig = z.output<typeof jwtSchema>;
export type JwtConfigInput = z.input<typeof jwtSchema>;
export type ApiKeyConfig = z.output<typeof apiKeySchema>;
export type AuthConfig = z.output<typeof authSchema>;
export type TlsConfig = z.output<typeof tlsSchema>;

/** Raised for an invalid server configuration; names every offending field. */
export class GrpcPlatformConfigError extends Error {
  readonly code = 'GRPC.INVALID_CONFIG';
  readonly retriable = false;
  constructor(readonly issues: readonly { path: string; message: string }[]) {
    super(`invalid gRPC server configuration: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'GrpcPlatformConfigError';
  }
}

export function parseGrpcPlatformConfig(input: unknown): GrpcPlatformConfig {
  const result = grpcPlatformConfigSchema.safeParse(input);
  if (!result.success) {
    throw new GrpcPlatformConfigError(result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })));
  }
  return result.data;
}

/** A JWT configuration on its own (e.g. to mint tokens with); invalid ones throw GrpcPlatformConfigError. */
export function parseJwtConfig(input: unknown): JwtConfig {
  const result = jwtSchema.safeParse(input);
  if (!result.success) {
    throw new GrpcPlatformConfigError(result.error.issues.map((issue) => ({ path: ['auth', 'jwt', ...issue.path].map(String).join('.'), message: issue.message })));
  }
  return result.data;
}
