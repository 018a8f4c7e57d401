import { ConfigError } from '@reflux/config';
import { grpcPlatformConfigSchema } from './grpc-platform.config';
import { grpcPlatformConfigFromEnv } from './grpc-platform.from-env';

const base = {
  GRPC_HOST: '127.0.0.1',
  GRPC_PORT: 50051,
  GRPC_MAX_RECEIVE_MESSAGE_BYTES: 16 * 1024 * 1024,
  GRPC_MAX_SEND_MESSAGE_BYTES: 16 * 1024 * 1024,
  GRPC_MAX_CONCURRENT_STREAMS: 100,
  GRPC_HEALTH_WATCHES_PER_PEER: 16,
  GRPC_REFLECTION: false,
  SHUTDOWN_GRACE_MS: 5000,
  AUTH_DISABLED: false,
  TLS_REQUIRE_CLIENT_CERT: false,
} as const;
type Env = Parameters<typeof grpcPlatformConfigFromEnv>[0];
const PEM = (name: string) => Buffer.from(`-----BEGIN ${name}-----\nAAAA\n-----END ${name}-----\n`);

describe('grpcPlatformConfigFromEnv', () => {
  it('maps the JWT secret, issuer and API keys into a valid server configuration', () => {
    const config = grpcPlatformConfigSchema.parse(
      grpcPlatformConfigFromEnv({
        ...base,
        AUTH_JWT_SECRET: 'x'.repeat(32),
        AUTH_JWT_ISSUER: 'reflux',
        AUTH_JWT_AUDIENCE: 'reflux',
        AUTH_JWT_MAX_TOKEN_LIFETIME_S: 3600,
        AUTH_API_KEYS: [{ name: 'historian', sha256Hex: 'a'.repeat(64), roles: ['ingest'] }],
      } as unknown as Env),
    );
    expect(config.auth.jwt?.hs256Secrets).toEqual(['x'.repeat(32)]);
    expect(config.auth.jwt).toMatchObject({ issuer: 'reflux', audience: 'reflux', development: false, maxTokenLifetimeSeconds: 3600 });
    expect(config.auth.apiKeys).toEqual([{ id: 'historian', sha256: 'a'.repeat(64), roles: ['ingest'] }]);
    expect(config.tls).toBeUndefined();
    expect(config.shutdownGraceMs).toBe(5000);
    expect(config).toMatchObject({ maxConcurrentStreams: 100, maxHealthWatchesPerPeer: 16, reflection: false });
  });

  it('turns reflection on and sets the stream limits from GRPC_REFLECTION, GRPC_MAX_CONCURRENT_STREAMS and GRPC_HEALTH_WATCHES_PER_PEER', () => {
    const env = { ...base, AUTH_DISABLED: true, GRPC_REFLECTION: true, GRPC_MAX_CONCURRENT_STREAMS: 32, GRPC_HEALTH_WATCHES_PER_PEER: 4 } as unknown as Env;
    expect(grpcPlatformConfigSchema.parse(grpcPlatformConfigFromEnv(env))).toMatchObject({ reflection: true, maxConcurrentStreams: 32, maxHealthWatchesPerPeer: 4 });
  });

  it('marks the local development secret so that iss and aud may be omitted', () => {
    const config = grpcPlatformConfigSchema.parse(grpcPlatformConfigFromEnv({ ...base, AUTH_JWT_SECRET: 'x'.repeat(32), AUTH_JWT_DEVELOPMENT: true } as unknown as Env));
    expect(config.auth.jwt).toMatchObject({ development: true });
    expect(() => grpcPlatformConfigSchema.parse(grpcPlatformConfigFromEnv({ ...base, AUTH_JWT_SECRET: 'x'.repeat(32), AUTH_JWT_DEVELOPMENT: false } as unknown as Env))).toThrow(/issuer/);
  });

  it('reads TLS and mutual-TLS files when configured', () => {
    const files: Record<string, Buffer> = { '/c.pem': PEM('CERTIFICATE'), '/k.pem': PEM('PRIVATE KEY'), '/ca.pem': PEM('CERTIFICATE') };
    const config = grpcPlatformConfigFromEnv(
      { ...base, AUTH_DISABLED: true, TLS_CERT_FILE: '/c.pem', TLS_KEY_FILE: '/k.pem', TLS_CLIENT_CA_FILE: '/ca.pem', TLS_REQUIRE_CLIENT_CERT: true } as unknown as Env,
      (path) => files[path] ?? Buffer.alloc(0),
    );
    expect(config.tls).toEqual({ certChain: files['/c.pem'], privateKey: files['/k.pem'], clientCa: files['/ca.pem'], requireClientCert: true });
  });

  it('names the variable of a certificate file that is not PEM', () => {
    expect(() =>
      grpcPlatformConfigFromEnv({ ...base, AUTH_DISABLED: true, TLS_CERT_FILE: '/c.pem', TLS_KEY_FILE: '/k.pem' } as unknown as Env, () => Buffer.from('junk')),
    ).toThrow(ConfigError);
  });
});
