import { readFileSync } from 'node:fs';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { type ConfigError } from '@reflux/config';
import { createServiceToken, GrpcPlatformServer, unary, type JwtConfigInput, type ServiceImplementation } from '@reflux/grpc';
import { demoPlantPath } from '@reflux/plant-model';
import { loadProtoPackage } from '@reflux/proto';
import { makeTestPki, type TestPki } from '@reflux/testing';
import pino from 'pino';
import { ingestionTransport } from '../../balancing.app';
import { loadBalancingConfig } from '../../balancing.config';
import { IngestionHistorySource } from './ingestion.history-source';

const INGESTION = 'reflux.ingestion.v1.IngestionService';
const JWT: JwtConfigInput = { hs256Secrets: ['tls-test-secret-of-at-least-thirty-two-chars'], issuer: 'reflux-local', audience: 'reflux' };
const logger = pino({ enabled: false });

function listTagsOnly(): ServiceImplementation {
  const methods = Object.keys(loadProtoPackage('reflux/ingestion/v1/ingestion.proto')[INGESTION] as ServiceDefinition);
  const impl: Record<string, ServiceImplementation[string]> = {};
  for (const method of methods) impl[method] = unary(['viewer'], () => ({ tags: [], nextPageToken: '' }));
  impl['WriteMeasurements'] = { kind: 'bidiStream', roles: ['ingest'], handler: async function* () {} };
  return impl;
}

describe('balancing to ingestion over TLS (INGESTION_TLS_* settings)', () => {
  let pki: TestPki;
  let server: GrpcPlatformServer;
  /** balancing's configuration with these INGESTION_TLS_* variables, as main.ts loads it. */
  const config = (tls: Record<string, string>) =>
    loadBalancingConfig({
      SERVICE_NAME: 'balancing',
      DATABASE_URL: 'postgres://u:p@127.0.0.1/x',
      PLANT_MODEL_FILES: demoPlantPath('petrochemical'),
      AUTH_JWT_SECRET: JWT.hs256Secrets![0],
      AUTH_JWT_ISSUER: 'reflux-local',
      AUTH_JWT_AUDIENCE: 'reflux',
      INGESTION_ADDRESS: `localhost:${server.port}`,
      ...tls,
    });
  const verify = async (tls: Record<string, string>) => {
    const c = config(tls);
    const source = new IngestionHistorySource({ address: c.INGESTION_ADDRESS, transport: ingestionTransport(c), token: () => createServiceToken(JWT, 'balancing', ['viewer']), logger });
    try {
      return await source.verifyAccess(1_500);
    } finally {
      source.close();
    }
  };

  beforeAll(async () => {
    pki = makeTestPki({ serverNames: ['localhost', '127.0.0.1', 'ingestion.reflux.svc'] });
    server = new GrpcPlatformServer({
      config: {
        host: '127.0.0.1',
        port: 0,
        auth: { jwt: JWT },
        tls: { certChain: readFileSync(pki.serverCertFile), privateKey: readFileSync(pki.serverKeyFile), clientCa: readFileSync(pki.caFile), requireClientCert: true },
      },
      logger,
    });
    server.addService(loadProtoPackage('reflux/ingestion/v1/ingestion.proto'), INGESTION, listTagsOnly());
    await server.start();
  });
  afterAll(async () => {
    await server?.shutdown(500);
    pki?.remove();
  });

  it('reads from an ingestion that requires mutual TLS, with the CA and a client certificate', async () => {
    await expect(verify({ INGESTION_TLS_CA_FILE: pki.caFile, INGESTION_TLS_CERT_FILE: pki.clientCertFile, INGESTION_TLS_KEY_FILE: pki.clientKeyFile })).resolves.toEqual({ reachable: true });
  });

  it('checks the certificate against INGESTION_TLS_SERVER_NAME when the address is another name', async () => {
    const files = { INGESTION_TLS_CA_FILE: pki.caFile, INGESTION_TLS_CERT_FILE: pki.clientCertFile, INGESTION_TLS_KEY_FILE: pki.clientKeyFile };
    await expect(verify({ ...files, INGESTION_TLS_SERVER_NAME: 'ingestion.reflux.svc' })).resolves.toEqual({ reachable: true });
    await expect(verify({ ...files, INGESTION_TLS_SERVER_NAME: 'not-ingestion.example' })).resolves.toMatchObject({ reachable: false });
  });

  it('does not connect without a client certificate, to a server signed by another CA, or in plaintext', async () => {
    await expect(verify({ INGESTION_TLS_CA_FILE: pki.caFile })).resolves.toMatchObject({ reachable: false });
    await expect(verify({ INGESTION_TLS_CA_FILE: pki.otherCaFile, INGESTION_TLS_CERT_FILE: pki.clientCertFile, INGESTION_TLS_KEY_FILE: pki.clientKeyFile })).resolves.toMatchObject({ reachable: false });
    await expect(verify({})).resolves.toMatchObject({ reachable: false });
  });

  it('stops the start naming the variable of a missing file or of a certificate without its key', () => {
    const issues = (tls: Record<string, string>) => {
      try {
        ingestionTransport(config(tls));
      } catch (error) {
        return (error as ConfigError).issues.map((i) => i.variable);
      }
      return [];
    };
    expect(issues({ INGESTION_TLS_CA_FILE: `${pki.dir}/missing.crt` })).toEqual(['INGESTION_TLS_CA_FILE']);
    expect(issues({ INGESTION_TLS_CA_FILE: pki.caFile, INGESTION_TLS_CERT_FILE: pki.clientCertFile })).toEqual(['INGESTION_TLS_KEY_FILE']);
    expect(issues({ INGESTION_TLS_SERVER_NAME: 'ingestion' })).toEqual(['INGESTION_TLS_SERVER_NAME']);
  });
});
