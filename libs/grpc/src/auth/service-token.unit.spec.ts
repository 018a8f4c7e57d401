import { generateKeyPairSync } from 'node:crypto';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { parseGrpcPlatformConfig, type JwtConfig } from '../server/grpc-platform.config';
import { jwtConfigFromEnv, type JwtEnvironment } from '../server/grpc-platform.from-env';
import { createDevelopmentToken } from './development-token';
import { JwtVerifier } from './jwt.verifier';
import { createServiceToken, TokenMintingError } from './service-token';

const SECRET = 'compose-secret-of-at-least-thirty-two-characters';
/** The AUTH_JWT_* variables docker-compose.yml gives every service. */
const COMPOSE: JwtEnvironment = {
  AUTH_JWT_SECRET: SECRET,
  AUTH_JWT_PUBLIC_KEY_FILE: undefined,
  AUTH_JWT_ISSUER: 'reflux-local',
  AUTH_JWT_AUDIENCE: 'reflux',
  AUTH_JWT_DEVELOPMENT: false,
  AUTH_JWT_MAX_TOKEN_LIFETIME_S: undefined,
};

/** The verifier a server configured from these variables runs. */
const verifierFor = (env: JwtEnvironment) => new JwtVerifier(parseGrpcPlatformConfig({ auth: { jwt: jwtConfigFromEnv(env) } }).auth.jwt as JwtConfig);

describe('createServiceToken', () => {
  it("mints a token that a peer configured with the same AUTH_JWT_* variables accepts (balancing's token at ingestion)", () => {
    const token = createServiceToken(jwtConfigFromEnv(COMPOSE)!, 'balancing', ['viewer']);
    expect(verifierFor(COMPOSE).verify(token)).toEqual({ subject: 'balancing', roles: ['viewer'], authenticatedBy: 'jwt' });
    const claims = jwt.decode(token) as JwtPayload;
    expect(claims).toMatchObject({ iss: 'reflux-local', aud: 'reflux', sub: 'balancing' });
    expect(claims.exp! - claims.iat!).toBe(300);
  });

  it('is needed: a token minted without iss and aud (as balancing and the CLI did) is refused by such a peer', () => {
    expect(() => verifierFor(COMPOSE).verify(createDevelopmentToken(SECRET, ['viewer'], 'balancing', { ttlSeconds: 300 }))).toThrow(/jwt (audience|issuer) invalid/);
  });

  it('is refused by a peer that expects another audience', () => {
    const token = createServiceToken(jwtConfigFromEnv(COMPOSE)!, 'balancing', ['viewer']);
    expect(() => verifierFor({ ...COMPOSE, AUTH_JWT_AUDIENCE: 'reflux-prod' }).verify(token)).toThrow(/jwt audience invalid/);
  });

  it('mints for the development secret without iss and aud, up to its 7-day cap', () => {
    const dev = { hs256Secrets: [SECRET], development: true };
    const token = createServiceToken(dev, 'reflux-dev', ['admin'], { ttlSeconds: 7 * 24 * 3600 });
    expect(verifierFor({ ...COMPOSE, AUTH_JWT_ISSUER: undefined, AUTH_JWT_AUDIENCE: undefined, AUTH_JWT_DEVELOPMENT: true }).verify(token).roles).toEqual(['admin']);
  });

  it('refuses to mint a token longer-lived than the servers accept, or without a secret to sign with', () => {
    expect(() => createServiceToken(jwtConfigFromEnv(COMPOSE)!, 'cli', ['viewer'], { ttlSeconds: 13 * 3600 })).toThrow(TokenMintingError);
    expect(() => createServiceToken(jwtConfigFromEnv(COMPOSE)!, 'cli', ['viewer'], { ttlSeconds: 13 * 3600 })).toThrow(/at most 43200 s/);
    const pem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => createServiceToken({ publicKeys: [{ pem }], issuer: 'https://idp', audience: 'reflux' }, 'balancing', ['viewer'])).toThrow(/no HS256 secret/);
    expect(() => createServiceToken({ hs256Secrets: [SECRET] }, 'balancing', ['viewer'])).toThrow(/auth\.jwt\.issuer/);
  });
});
