import { GrpcPlatformConfigError, parseGrpcPlatformConfig } from './grpc-platform.config';

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseGrpcPlatformConfig(input);
  } catch (error) {
    if (error instanceof GrpcPlatformConfigError) return [...error.issues];
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('parseGrpcPlatformConfig', () => {
  it('applies defaults: port 50051, 4 MiB messages, 10 s grace', () => {
    const config = parseGrpcPlatformConfig({ auth: { apiKeys: [{ id: 'k', sha256: 'a'.repeat(64), roles: ['viewer'] }] } });
    expect(config).toMatchObject({ host: '0.0.0.0', port: 50051, maxReceiveMessageBytes: 4 * 1024 * 1024, maxSendMessageBytes: 4 * 1024 * 1024, shutdownGraceMs: 10_000, drainDelayMs: 0, maxConcurrentStreams: 100, maxHealthWatchesPerPeer: 16, reflection: false });
  });

  it('refuses to run without any authentication unless disabled explicitly', () => {
    expect(issuesOf({ auth: {} })).toEqual([{ path: 'auth', message: 'configure jwt and/or apiKeys, or set disabled: true explicitly' }]);
    expect(parseGrpcPlatformConfig({ auth: { disabled: true } }).auth.disabled).toBe(true);
  });

  it('names each offending field', () => {
    const issues = issuesOf({
      port: 70000,
      auth: { jwt: { hs256Secrets: ['short'] }, apiKeys: [{ id: 'k', sha256: 'NOT-HEX', roles: ['superuser'] }] },
      tls: { certChain: 'x', privateKey: 'y', requireClientCert: true },
    });
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['port', 'auth.jwt.hs256Secrets.0', 'auth.apiKeys.0.sha256', 'auth.apiKeys.0.roles.0', 'tls.clientCa']));
  });

  it('requires an issuer and an audience for any key but the development secret', () => {
    const secret = 's'.repeat(32);
    const paths = (jwt: object) => issuesOf({ auth: { jwt } }).map((i) => i.path);
    expect(paths({ hs256Secrets: [secret] })).toEqual(['auth.jwt.issuer', 'auth.jwt.audience']);
    expect(paths({ publicKeys: [{ pem: 'PEM' }], issuer: 'https://idp' })).toEqual(['auth.jwt.audience']);
    expect(paths({ publicKeys: [{ pem: 'PEM' }], development: true, issuer: 'https://idp', audience: 'reflux' })).toEqual(['auth.jwt.development']);
    expect(parseGrpcPlatformConfig({ auth: { jwt: { hs256Secrets: [secret], development: true } } }).auth.jwt).toMatchObject({ development: true });
    expect(parseGrpcPlatformConfig({ auth: { jwt: { hs256Secrets: [secret], issuer: 'reflux', audience: ['reflux', 'reflux-cli'] } } }).auth.jwt).toMatchObject({ development: false });
  });

  it('rejects duplicate API key ids', () => {
    const key = { id: 'same', sha256: 'b'.repeat(64), roles: ['viewer'] };
    expect(issuesOf({ auth: { apiKeys: [key, key] } })).toEqual([{ path: 'auth.apiKeys', message: 'api key ids must be unique' }]);
  });
});
