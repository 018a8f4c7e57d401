import { readFileSync } from 'node:fs';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { createServiceToken, GrpcPlatformServer, unary, type JwtConfigInput, type ServiceImplementation } from '@reflux/grpc';
import { loadProtoPackage } from '@reflux/proto';
import { makeTestPki, type TestPki } from '@reflux/testing';
import pino from 'pino';
import { ingestionTransport } from '../../safety.app';
import { loadSafetyConfig } from '../../safety.config';
import { IngestionSampleHistory } from './ingestion.sample-history';

const INGESTION = 'reflux.ingestion.v1.IngestionService';
const JWT: JwtConfigInput = { hs256Secrets: ['tls-test-secret-of-at-least-thirty-two-chars'], issuer: 'reflux-local', audience: 'reflux' };

/** ReadRaw answers one sample of every tag asked for; the other RPCs are not used. */
function readRawOnly(): ServiceImplementation {
  const methods = Object.keys(loadProtoPackage('reflux/ingestion/v1/ingestion.proto')[INGESTION] as ServiceDefinition);
  const impl: Record<string, ServiceImplementation[string]> = {};
  for (const method of methods) impl[method] = unary(['viewer'], () => ({}));
  impl['ReadRaw'] = unary(['viewer'], (request: { tagIds: string[] }) => ({
    samples: request.tagIds.map((tagId) => ({ tagId, time: { seconds: '1700000000', nanos: 0 }, value: 42.5, quality: 192 })),
    nextPageToken: '',
  }));
  impl['WriteMeasurements'] = { kind: 'bidiStream', roles: ['ingest'], handler: async function* () {} };
  return impl;
}

describe('safety to ingestion over mutual TLS (INGESTION_TLS_* settings)', () => {
  let pki: TestPki;
  let server: GrpcPlatformServer;
  const history = (tls: Record<string, string>) => {
    const config = loadSafetyConfig({
      SERVICE_NAME: 'safety',
      DATABASE_URL: 'postgres://u:p@127.0.0.1/x',
      ALARM_CONFIG_FILES: '/unused.json',
      AUTH_JWT_SECRET: JWT.hs256Secrets![0],
      AUTH_JWT_ISSUER: 'reflux-local',
      AUTH_JWT_AUDIENCE: 'reflux',
      INGESTION_ADDRESS: `localhost:${server.port}`,
      INGESTION_TIMEOUT_MS: '1500',
      ...tls,
    });
    return new IngestionSampleHistory({ address: config.INGESTION_ADDRESS, transport: ingestionTransport(config), token: () => createServiceToken(JWT, 'safety', ['viewer']), timeoutMs: config.INGESTION_TIMEOUT_MS });
  };

  beforeAll(async () => {
    pki = makeTestPki();
    const tls = { certChain: readFileSync(pki.serverCertFile), privateKey: readFileSync(pki.serverKeyFile), clientCa: readFileSync(pki.caFile), requireClientCert: true };
    server = new GrpcPlatformServer({ config: { host: '127.0.0.1', port: 0, auth: { jwt: JWT }, tls }, logger: pino({ enabled: false }) });
    server.addService(loadProtoPackage('reflux/ingestion/v1/ingestion.proto'), INGESTION, readRawOnly());
    await server.start();
  });
  afterAll(async () => {
    await server?.shutdown(500);
    pki?.remove();
  });

  it('reads raw samples with the CA and a client certificate', async () => {
    const h = history({ INGESTION_TLS_CA_FILE: pki.caFile, INGESTION_TLS_CERT_FILE: pki.clientCertFile, INGESTION_TLS_KEY_FILE: pki.clientKeyFile });
    try {
      await expect(h.readRaw(['TI-101'], 0, 1)).resolves.toEqual([{ tagId: 'TI-101', timeMs: 1_700_000_000_000, value: 42.5, quality: 192 }]);
    } finally {
      h.close();
    }
  });

  it('fails as a retriable history error in plaintext or without a client certificate', async () => {
    for (const tls of [{}, { INGESTION_TLS_CA_FILE: pki.caFile }] as Record<string, string>[]) {
      const h = history(tls);
      try {
        await expect(h.readRaw(['TI-101'], 0, 1)).rejects.toMatchObject({ code: 'SAFETY.HISTORY_UNAVAILABLE', retriable: true });
      } finally {
        h.close();
      }
    }
  });
});
