import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, status as Status, type ServiceError } from '@grpc/grpc-js';
import { createDevelopmentToken } from '../auth/development-token';
import { callUnary, captureLogger, loadProbePackage, PROBE_SERVICE, probeClient, probeImplementation, TEST_JWT_SECRET } from '../testing/probe.fixture';
import { type TlsConfig } from './grpc-platform.config';
import { GrpcPlatformServer } from './grpc-platform.server';
import { readTlsFiles } from './tls';

/** A throwaway PKI: two CAs, a server certificate for localhost and client certificates. */
function makePki(dir: string): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const key = (name: string) => openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`);
  key('ca');
  key('other-ca');
  const leaf = (name: string, ca: string, ext: string) => {
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    writeFileSync(join(dir, `${name}.ext`), ext);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
  };
  leaf('server', 'ca', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  leaf('client', 'ca', 'extendedKeyUsage=clientAuth\n');
  leaf('intruder', 'other-ca', 'extendedKeyUsage=clientAuth\n');
}

describe('TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reflux-grpc-tls-'));
  const file = (name: string) => readFileSync(join(dir, name));
  const token = createDevelopmentToken(TEST_JWT_SECRET, ['viewer'], 'alice');
  beforeAll(() => makePki(dir));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function withServer(tls: TlsConfig, run: (port: number) => Promise<void>): Promise<void> {
    const server = new GrpcPlatformServer({ config: { host: '127.0.0.1', port: 0, tls, auth: { jwt: { hs256Secrets: [TEST_JWT_SECRET], development: true } } }, logger: captureLogger().logger });
    server.addService(loadProbePackage(), PROBE_SERVICE, probeImplementation({ aborted: [], completed: [] }));
    await server.start();
    try {
      await run(server.port);
    } finally {
      await server.shutdown(0);
    }
  }

  async function echo(port: number, creds: ReturnType<typeof credentials.createSsl>): Promise<ServiceError | Record<string, unknown>> {
    const client = probeClient(port, creds);
    try {
      return await callUnary(client, 'Echo', { text: 'over tls' }, { token, deadline: new Date(Date.now() + 3000) });
    } catch (error) {
      return error as ServiceError;
    } finally {
      client.close();
    }
  }

  it('serves clients that trust the server CA and refuses plaintext clients', async () => {
    await withServer(readTlsFiles({ certChainPath: join(dir, 'server.crt'), privateKeyPath: join(dir, 'server.key') }), async (port) => {
      expect(await echo(port, credentials.createSsl(file('ca.crt')))).toMatchObject({ text: 'over tls', subject: 'alice' });
      expect(await echo(port, credentials.createInsecure())).toMatchObject({ code: Status.UNAVAILABLE });
    });
  });

  it('with mutual TLS serves a client certificate from the client CA and rejects clients without one or from another CA', async () => {
    const tls = readTlsFiles({ certChainPath: join(dir, 'server.crt'), privateKeyPath: join(dir, 'server.key'), clientCaPath: join(dir, 'ca.crt'), requireClientCert: true });
    await withServer(tls, async (port) => {
      expect(await echo(port, credentials.createSsl(file('ca.crt'), file('client.key'), file('client.crt')))).toMatchObject({ text: 'over tls' });
      expect(await echo(port, credentials.createSsl(file('ca.crt')))).toMatchObject({ code: Status.UNAVAILABLE });
      expect(await echo(port, credentials.createSsl(file('ca.crt'), file('intruder.key'), file('intruder.crt')))).toMatchObject({ code: Status.UNAVAILABLE });
    });
  });
});
