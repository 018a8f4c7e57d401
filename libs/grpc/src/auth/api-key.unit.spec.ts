import { ApiKeyVerifier, generateApiKey, hashApiKey } from './api-key';

describe('ApiKeyVerifier', () => {
  const a = generateApiKey();
  const b = generateApiKey();
  const verifier = new ApiKeyVerifier([
    { id: 'historian', sha256: a.sha256, roles: ['ingest'] },
    { id: 'erp', sha256: b.sha256, roles: ['integrator', 'viewer'] },
  ]);

  it('recognises each configured key by its hash', () => {
    expect(verifier.verify(a.key)).toEqual({ subject: 'apikey:historian', roles: ['ingest'], authenticatedBy: 'api-key' });
    expect(verifier.verify(b.key)?.subject).toBe('apikey:erp');
  });

  it('rejects unknown keys and the hash itself', () => {
    expect(verifier.verify('rfx_guess')).toBeUndefined();
    expect(verifier.verify(a.sha256)).toBeUndefined();
  });

  it('hashes as lower-case hex SHA-256', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
