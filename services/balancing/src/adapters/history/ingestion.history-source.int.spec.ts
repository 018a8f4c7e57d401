import type { ServiceDefinition } from '@grpc/grpc-js';
import { createServiceToken, GrpcPlatformServer, PlatformDomainError, unary, type JwtConfigInput, type ServiceImplementation } from '@reflux/grpc';
import { loadProtoPackage } from '@reflux/proto';
import { freePort } from '@reflux/testing';
import pino from 'pino';
import { IngestionAccessError, IngestionHistorySource } from './ingestion.history-source';

const INGESTION = 'reflux.ingestion.v1.IngestionService';
const SECRET = 'compose-secret-of-at-least-thirty-two-characters';
/** docker-compose.yml's AUTH_JWT_* settings, as ingestion verifies them. */
const COMPOSE: JwtConfigInput = { hs256Secrets: [SECRET], issuer: 'reflux-local', audience: 'reflux' };
const logger = pino({ enabled: false });

/** A server verifying like ingestion under compose: ListTags answers, the other RPCs are not used here. */
function ingestionLike(): ServiceImplementation {
  const pkg = loadProtoPackage('reflux/ingestion/v1/ingestion.proto');
  const methods = Object.keys(pkg[INGESTION] as ServiceDefinition);
  const impl: Record<string, ServiceImplementation[string]> = {};
  for (const method of methods) {
    impl[method] = unary(['viewer'], () => {
      if (method !== 'ListTags') throw new PlatformDomainError('TEST.NOT_USED', `${method} is not used by this test`);
      return { tags: [], nextPageToken: '' };
    });
  }
  impl['WriteMeasurements'] = { kind: 'bidiStream', roles: ['ingest'], handler: async function* () {} };
  return impl;
}

describe("start-up check of balancing's access to ingestion", () => {
  let server: GrpcPlatformServer;
  const source = (jwt: JwtConfigInput) =>
    new IngestionHistorySource({ address: `127.0.0.1:${server.port}`, token: () => createServiceToken(jwt, 'balancing', ['viewer']), logger });

  beforeAll(async () => {
    server = new GrpcPlatformServer({ config: { host: '127.0.0.1', port: 0, auth: { jwt: COMPOSE } }, logger });
    server.addService(loadProtoPackage('reflux/ingestion/v1/ingestion.proto'), INGESTION, ingestionLike());
    await server.start();
  });
  afterAll(() => server.shutdown(500));

  it('passes when balancing mints with the settings ingestion verifies with', async () => {
    const history = source(COMPOSE);
    try {
      await expect(history.verifyAccess()).resolves.toEqual({ reachable: true });
    } finally {
      history.close();
    }
  });

  it('fails with an error naming the settings when ingestion expects another audience or issuer', async () => {
    for (const jwt of [{ ...COMPOSE, audience: 'reflux-prod' }, { hs256Secrets: [SECRET], development: true }]) {
      const history = source(jwt);
      try {
        const error = await history.verifyAccess().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(IngestionAccessError);
        expect((error as Error).message).toMatch(/refuses balancing's token \(UNAUTHENTICATED: token rejected: jwt (audience|issuer) invalid.*AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE/);
      } finally {
        history.close();
      }
    }
  });

  it('reports an ingestion that is not listening yet without failing', async () => {
    const history = new IngestionHistorySource({ address: `127.0.0.1:${await freePort()}`, token: () => createServiceToken(COMPOSE, 'balancing', ['viewer']), logger });
    try {
      await expect(history.verifyAccess(2_000)).resolves.toMatchObject({ reachable: false });
    } finally {
      history.close();
    }
  });
});
