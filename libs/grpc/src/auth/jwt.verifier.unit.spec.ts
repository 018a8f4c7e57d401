import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { parseGrpcPlatformConfig, type JwtConfig } from '../server/grpc-platform.config';
import { createDevelopmentToken } from './development-token';
import { JwtVerifier, TokenRejectedError } from './jwt.verifier';

const SECRET = 'unit-secret-of-at-least-thirty-two-characters';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pem = (key: typeof rsa.publicKey) => key.export({ type: 'spki', format: 'pem' }).toString();
const IDP = { issuer: 'https://idp.plant.example', audience: 'reflux' };
const DEV = { hs256Secrets: [SECRET], development: true };
/** Signs with a one-hour lifetime unless the options say otherwise. */
const sign = (payload: object, key: jwt.Secret | KeyObject, options: jwt.SignOptions) => jwt.sign(payload, key, { expiresIn: 3600, ...options });

function verifier(jwtConfig: object): JwtVerifier {
  return new JwtVerifier(parseGrpcPlatformConfig({ auth: { jwt: jwtConfig } }).auth.jwt as JwtConfig);
}

describe('JwtVerifier', () => {
  it('accepts a development token and keeps only known roles', () => {
    const token = sign({ roles: ['planner', 'superuser'] }, SECRET, { subject: 'bob' });
    expect(verifier(DEV).verify(token)).toEqual({ subject: 'bob', roles: ['planner'], authenticatedBy: 'jwt' });
    expect(verifier(DEV).verify(createDevelopmentToken(SECRET, ['viewer', 'operator'], 'eve')).roles).toEqual(['viewer', 'operator']);
  });

  it('reads a space-separated roles claim under a configured name', () => {
    const token = sign({ scope: 'operator viewer' }, SECRET, { subject: 'op' });
    expect(verifier({ ...DEV, rolesClaim: 'scope' }).verify(token).roles).toEqual(['operator', 'viewer']);
  });

  it('accepts RS256 and ES256 tokens against configured public keys, selected by kid', () => {
    const v = verifier({ ...IDP, publicKeys: [{ kid: 'rsa-1', pem: pem(rsa.publicKey) }, { kid: 'ec-1', pem: pem(ec.publicKey) }] });
    expect(v.verify(sign({ roles: ['viewer'] }, rsa.privateKey, { ...IDP, algorithm: 'RS256', subject: 'r', keyid: 'rsa-1' })).subject).toBe('r');
    expect(v.verify(sign({ roles: ['viewer'] }, ec.privateKey, { ...IDP, algorithm: 'ES256', subject: 'e', keyid: 'ec-1' })).subject).toBe('e');
    expect(() => v.verify(sign({}, ec.privateKey, { ...IDP, algorithm: 'ES256', subject: 'e', keyid: 'rsa-1' }))).toThrow(TokenRejectedError);
  });

  it('refuses an HS256 token signed with a public key as secret (algorithm confusion)', () => {
    const v = verifier({ ...IDP, publicKeys: [{ pem: pem(rsa.publicKey) }] });
    const forged = sign({ roles: ['admin'] }, SECRET, { ...IDP, algorithm: 'HS256', subject: 'mallory' });
    expect(() => v.verify(forged)).toThrow(/no verification key for alg HS256/);
  });

  it('accepts any of several secrets (rotation)', () => {
    const other = 'next-secret-of-at-least-thirty-two-characters!';
    expect(verifier({ ...DEV, hs256Secrets: [SECRET, other] }).verify(sign({}, other, { subject: 'rotated' })).subject).toBe('rotated');
  });

  it('checks exp, nbf, iss and aud and requires sub', () => {
    const v = verifier({ hs256Secrets: [SECRET], issuer: 'https://idp.plant.example', audience: 'reflux', clockToleranceSeconds: 0 });
    const good = { ...IDP, subject: 's' };
    expect(v.verify(sign({}, SECRET, good)).subject).toBe('s');
    expect(() => v.verify(sign({}, SECRET, { ...good, expiresIn: -10 }))).toThrow(/token expired/);
    expect(() => v.verify(sign({}, SECRET, { ...good, notBefore: 60 }))).toThrow(/not valid before/);
    expect(() => v.verify(sign({}, SECRET, { ...good, issuer: 'https://evil.example' }))).toThrow(/jwt issuer invalid/);
    expect(() => v.verify(sign({}, SECRET, { ...good, audience: 'other' }))).toThrow(/jwt audience invalid/);
    expect(() => v.verify(sign({}, SECRET, IDP))).toThrow(/no sub claim/);
  });

  it("refuses an admin token the identity provider issued for another application (right key, wrong aud)", () => {
    const v = verifier({ ...IDP, publicKeys: [{ pem: pem(rsa.publicKey) }] });
    const borrowed = sign({ roles: ['admin'] }, rsa.privateKey, { algorithm: 'RS256', issuer: IDP.issuer, audience: 'maintenance-planner', subject: 'someone' });
    expect(() => v.verify(borrowed)).toThrow(/jwt audience invalid/);
    const noAudience = sign({ roles: ['admin'] }, rsa.privateKey, { algorithm: 'RS256', issuer: IDP.issuer, subject: 'someone' });
    expect(() => v.verify(noAudience)).toThrow(/jwt audience invalid/);
  });

  it('refuses a token without iss when an issuer is required', () => {
    const v = verifier({ ...IDP, hs256Secrets: [SECRET] });
    expect(() => v.verify(sign({ roles: ['viewer'] }, SECRET, { audience: IDP.audience, subject: 's' }))).toThrow(/jwt issuer invalid/);
  });

  it('refuses a token without exp, also under the development secret', () => {
    const noExp = jwt.sign({ roles: ['viewer'] }, SECRET, { ...IDP, subject: 's' });
    expect(() => verifier({ ...IDP, hs256Secrets: [SECRET] }).verify(noExp)).toThrow(/no exp claim/);
    expect(() => verifier(DEV).verify(noExp)).toThrow(/no exp claim/);
  });

  it('refuses a token whose lifetime exceeds the cap (12 h by default, 7 days for the development secret)', () => {
    const v = verifier({ ...IDP, hs256Secrets: [SECRET] });
    expect(v.verify(sign({}, SECRET, { ...IDP, subject: 's', expiresIn: 12 * 3600 })).subject).toBe('s');
    expect(() => v.verify(sign({}, SECRET, { ...IDP, subject: 's', expiresIn: 12 * 3600 + 1 }))).toThrow(/lifetime 43201 s exceeds the accepted maximum of 43200 s/);
    const noIat = sign({}, SECRET, { ...IDP, subject: 's', expiresIn: 30 * 24 * 3600, noTimestamp: true });
    expect(() => v.verify(noIat)).toThrow(/exceeds the accepted maximum/);
    const weekLong = createDevelopmentToken(SECRET, ['admin'], 'reflux-dev', { ttlSeconds: 7 * 24 * 3600 });
    expect(verifier(DEV).verify(weekLong).subject).toBe('reflux-dev');
    expect(() => verifier({ ...DEV, maxTokenLifetimeSeconds: 3600 }).verify(weekLong)).toThrow(/exceeds the accepted maximum of 3600 s/);
  });

  it('refuses a token whose iat lies in the future (a way around the lifetime cap)', () => {
    const now = Math.floor(Date.now() / 1000);
    const token = jwt.sign({ iat: now + 20 * 24 * 3600, exp: now + 20 * 24 * 3600 + 60 }, SECRET, { ...IDP, subject: 's' });
    expect(() => verifier({ ...IDP, hs256Secrets: [SECRET] }).verify(token)).toThrow(/iat lies in the future/);
  });
});
