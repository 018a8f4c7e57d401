/**
 * `reflux` against a service that serves gRPC over TLS, as in a Kubernetes deployment with
 * TLS_CERT_FILE/TLS_KEY_FILE (and TLS_CLIENT_CA_FILE with TLS_REQUIRE_CLIENT_CERT for mutual TLS):
 * the real ingestion service as its own process, the CLI as a user runs it, with the TLS flags or
 * their REFLUX_TLS* variables. Without them, or with a wrong CA, server name or no client
 * certificate, the call fails; an unreadable file stops the verb naming the flag before any call.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoPlantPath } from '@reflux/plant-model';
import { createTestDatabase, freePort, makeTestPki, type RunningProcess, type TestPki } from '@reflux/testing';
import { REPO_ROOT, startServiceProcess } from './support/service-processes';

jest.setTimeout(300_000);

const AUTH = { AUTH_JWT_SECRET: randomBytes(36).toString('base64'), AUTH_JWT_ISSUER: 'reflux-tls-e2e', AUTH_JWT_AUDIENCE: 'reflux' };

/** `reflux …` with the given environment (the CLI mints its token from AUTH_JWT_*). */
function cli(env: NodeJS.ProcessEnv, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REFLUX_TLS') && k !== 'REFLUX_TOKEN'));
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'tools/cli/bin/reflux.js'), ...args], { encoding: 'utf8', timeout: 120_000, env: { ...clean, ...AUTH, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('reflux against ingestion serving gRPC over mutual TLS', () => {
  let pki: TestPki;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ingestion: RunningProcess;
  let port: number;
  let dir: string;
  let mtls: string[];

  beforeAll(async () => {
    pki = makeTestPki({ serverNames: ['ingestion.reflux.svc.cluster.local', '127.0.0.1'] });
    db = await createTestDatabase('cli_tls');
    dir = mkdtempSync(join(tmpdir(), 'reflux-cli-tls-'));
    port = await freePort();
    ingestion = await startServiceProcess(
      'services/ingestion/src/main.ts',
      {
        ...AUTH,
        SERVICE_NAME: 'ingestion',
        DATABASE_URL: db.url,
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: String(port),
        PLANT_MODEL_FILES: demoPlantPath('petrochemical'),
        TLS_CERT_FILE: pki.serverCertFile,
        TLS_KEY_FILE: pki.serverKeyFile,
        TLS_CLIENT_CA_FILE: pki.caFile,
        TLS_REQUIRE_CLIENT_CERT: 'true',
      },
      'ingestion service started',
    );
    mtls = ['--tls-ca', pki.caFile, '--tls-cert', pki.clientCertFile, '--tls-key', pki.clientKeyFile];
  });
  afterAll(async () => {
    await ingestion?.stop('SIGTERM');
    await db?.drop();
    pki?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes a CSV and reads it back with the CA, a client certificate and the flags', () => {
    const t = Date.now() - 60_000;
    writeFileSync(join(dir, 'samples.csv'), `tag,time,value\nFI-1043,${new Date(t).toISOString()},41.5\nFI-1043,${new Date(t + 1000).toISOString()},42.25\n`);
    const written = cli({}, 'write', '--csv', join(dir, 'samples.csv'), '--address', `127.0.0.1:${port}`, ...mtls, '--json', '--quiet');
    expect(written.stderr).not.toMatch(/^reflux:/m);
    expect(written.status).toBe(0);
    expect(JSON.parse(written.stdout)).toMatchObject({ acceptedCount: 2, rejectedCount: 0 });
    const latest = cli({}, 'history', 'latest', '--tags', 'FI-1043', '--address', `127.0.0.1:${port}`, ...mtls, '--json');
    expect(latest.status).toBe(0);
    expect(JSON.parse(latest.stdout)).toEqual([expect.objectContaining({ tagId: 'FI-1043', value: 42.25 })]);
  });

  it('takes the same settings from REFLUX_TLS_CA_FILE, REFLUX_TLS_CERT_FILE and REFLUX_TLS_KEY_FILE', () => {
    const env = { REFLUX_TLS_CA_FILE: pki.caFile, REFLUX_TLS_CERT_FILE: pki.clientCertFile, REFLUX_TLS_KEY_FILE: pki.clientKeyFile };
    const tags = cli(env, 'tags', '--address', `127.0.0.1:${port}`, '--json');
    expect(tags.status).toBe(0);
    expect((JSON.parse(tags.stdout) as { id: string }[]).map((t) => t.id)).toContain('FI-1043');
  });

  it('verifies the certificate against --tls-server-name when the address is another name (a port-forward)', () => {
    const named = cli({}, 'tags', '--address', `localhost:${port}`, ...mtls, '--tls-server-name', 'ingestion.reflux.svc.cluster.local', '--json');
    expect(named.status).toBe(0);
    const unnamed = cli({}, 'tags', '--address', `localhost:${port}`, ...mtls, '--json');
    expect(unnamed.status).toBe(1);
    expect(unnamed.stderr).toMatch(/UNAVAILABLE/);
    const wrong = cli({}, 'tags', '--address', `127.0.0.1:${port}`, ...mtls, '--tls-server-name', 'balancing.reflux.svc.cluster.local', '--json');
    expect(wrong.status).toBe(1);
  });

  it('fails without TLS, against another CA, and without the client certificate the server requires', () => {
    const address = ['--address', `127.0.0.1:${port}`];
    for (const args of [[], ['--tls-ca', pki.otherCaFile, '--tls-cert', pki.clientCertFile, '--tls-key', pki.clientKeyFile], ['--tls-ca', pki.caFile]]) {
      const r = cli({}, 'tags', ...address, ...args, '--json');
      expect([args.join(' '), r.status]).toEqual([args.join(' '), 1]);
      expect(r.stderr).toMatch(/^reflux: UNAVAILABLE/m);
    }
  });

  it('stops before any call naming the flag and its variable when a file is missing or a certificate has no key', () => {
    const missing = cli({}, 'tags', '--address', `127.0.0.1:${port}`, '--tls-ca', join(dir, 'missing.crt'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`--tls-ca (REFLUX_TLS_CA_FILE): cannot read ${join(dir, 'missing.crt')}`);
    const noKey = cli({ REFLUX_TLS_CERT_FILE: pki.clientCertFile }, 'alarms', '--address', `127.0.0.1:${port}`, '--tls-ca', pki.caFile);
    expect(noKey.status).toBe(1);
    expect(noKey.stderr).toContain('--tls-key (REFLUX_TLS_KEY_FILE): required together with --tls-cert (REFLUX_TLS_CERT_FILE)');
  });
});
