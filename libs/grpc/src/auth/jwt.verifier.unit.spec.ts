import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { parseGrpcPlatformConfig, type JwtConfig } from '../server/grpc-platform.config';
import { createDevelopmentToken } from './development-token';
import { JwtVerifier, TokenRejectedError } from './jwt.verifier';

const SECRET = 'unit-secret-of-at-least-thirty-two-characters';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pem = (key: typeof rsa.publicKey) => key.export({ type: 'spki', format: 'pem' }).toString();

function verifier(jwtConfig: object): JwtVerifier {
  return new JwtVerifier(parseGrpcPlatformConfig({ auth: { jwt: jwtConfig } }).auth.jwt as JwtConfig);
}

describe('JwtVerifier', () => {
  it('accepts a development token and keeps only known roles', () => {
    const token = jwt.sign({ roles: ['planner', 'superuser'] }, SECRET, { subject: 'bob' });
    expect(verifier({ hs256Secrets: [SECRET] }).verify(token)).toEqual({ subject: 'bob', roles: ['planner'], authenticatedBy: 'jwt' });
    expect(verifier({ hs256Secrets: [SECRET] }).verify(createDevelopmentToken(SECRET, ['viewer', 'operator'], 'eve')).roles).toEqual(['viewer', 'operator']);
  });

  it('reads a space-separated roles claim under a configured name', () => {
    const token = jwt.sign({ scope: 'operator viewer' }, SECRET, { subject: 'op' });
    expect(verifier({ hs256Secrets: [SECRET], rolesClaim: 'scope' }).verify(token).roles).toEqual(['operator', 'viewer']);
  });

  it('accepts RS256 and ES256 tokens against configured public keys, selected by kid', () => {
    const v = verifier({ publicKeys: [{ kid: 'rsa-1', pem: pem(rsa.publicKey) }, { kid: 'ec-1', pem: pem(ec.publicKey) }] });
    expect(v.verify(jwt.sign({ roles: ['viewer'] }, rsa.privateKey, { algorithm: 'RS256', subject: 'r', keyid: 'rsa-1' })).subject).toBe('r');
    expect(v.verify(jwt.sign({ roles: ['viewer'] }, ec.privateKey, { algorithm: 'ES256', subject: 'e', keyid: 'ec-1' })).subject).toBe('e');
    expect(() => v.verify(jwt.sign({}, ec.privateKey, { algorithm: 'ES256', subject: 'e', keyid: 'rsa-1' }))).toThrow(TokenRejectedError);
  });

  it('refuses an HS256 token signed with a public key as secret (algorithm confusion)', () => {
    const v = verifier({ publicKeys: [{ pem: pem(rsa.publicKey) }] });
    const forged = jwt.sign({ roles: ['admin'] }, SECRET, { algorithm: 'HS256', subject: 'mallory' });
    expect(() => v.verify(forged)).toThrow(/no verification key for alg HS256/);
  });

  it('accepts any of several secrets (rotation)', () => {
    const other = 'next-secret-of-at-least-thirty-two-characters!';
    expect(verifier({ hs256Secrets: [SECRET, other] }).verify(jwt.sign({}, other, { subject: 'rotated' })).subject).toBe('rotated');
  });

  it('checks exp, nbf, iss and aud and requires sub', () => {
    const v = verifier({ hs256Secrets: [SECRET], issuer: 'https://idp.plant.example', audience: 'reflux', clockToleranceSeconds: 0 });
    const good = { issuer: 'https://idp.plant.example', audience: 'reflux', subject: 's' };
    expect(v.verify(jwt.sign({}, SECRET, good)).subject).toBe('s');
    expect(() => v.verify(jwt.sign({}, SECRET, { ...good, expiresIn: -10 }))).toThrow(/token expired/);
    expect(() => v.verify(jwt.sign({}, SECRET, { ...good, notBefore: 60 }))).toThrow(/not valid before/);
    expect(() => v.verify(jwt.sign({}, SECRET, { ...good, issuer: 'https://evil.example' }))).toThrow(/jwt issuer invalid/);
    expect(() => v.verify(jwt.sign({}, SECRET, { ...good, audience: 'other' }))).toThrow(/jwt audience invalid/);
    expect(() => v.verify(jwt.sign({}, SECRET, { issuer: good.issuer, audience: good.audience }))).toThrow(/no sub claim/);
  });
});
