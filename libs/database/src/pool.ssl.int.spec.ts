import { execFileSync } from 'node:child_process';
import { chownSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@reflux/config';
import { makeTestPki, startEmbeddedPostgres, type PostgresServer, type TestPki } from '@reflux/testing';
import { Pool } from 'pg';
import { createPgPool, pgPoolOptionsFromConfig } from './pool.factory';

/** The embedded server runs as the `postgres` user when the tests run as root; it must own its key. */
function handKeyToServer(pki: TestPki): void {
  if (userInfo().uid !== 0) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  for (const f of [pki.serverKeyFile, pki.serverCertFile]) chownSync(f, uid, -1);
}

const sslOf = async (pool: Pool) => (await pool.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows[0]?.ssl;

describe('PostgreSQL over TLS with DATABASE_SSL_CA_FILE', () => {
  // The server certificate names db.example only, not the 127.0.0.1 the tests connect to.
  const pki = makeTestPki({ serverNames: ['db.example'] });
  const dir = pki.dir;
  let pg: PostgresServer;
  const url = (sslmode: string) => `${pg.url}?sslmode=${sslmode}`;
  const config = (sslmode: string, caFile: string | undefined) => ({
    DATABASE_URL: url(sslmode),
    DATABASE_SSL_CA_FILE: caFile,
    SERVICE_NAME: 'tls-test',
    DATABASE_POOL_MAX: 1,
    DATABASE_STATEMENT_TIMEOUT_MS: 5_000,
    DATABASE_CONNECT_TIMEOUT_MS: 5_000,
  });
  async function connect(sslmode: string, caFile: string): Promise<boolean | undefined> {
    const pool = createPgPool(pgPoolOptionsFromConfig(config(sslmode, caFile)));
    try {
      return await sslOf(pool);
    } finally {
      await pool.end();
    }
  }

  beforeAll(async () => {
    handKeyToServer(pki);
    pg = await startEmbeddedPostgres({ settings: { ssl: 'on', ssl_cert_file: join(dir, 'server.crt'), ssl_key_file: join(dir, 'server.key') } });
  }, 120_000);
  afterAll(async () => {
    await pg?.stop();
    pki.remove();
  });

  it('connects with sslmode=require against the private CA, verifying the chain (libpq with a root certificate)', async () => {
    expect(await connect('require', join(dir, 'ca.crt'))).toBe(true);
  });

  it('without the CA, sslmode=require fails against the private CA (the shipped behaviour this variable fixes)', async () => {
    const pool = new Pool({ connectionString: url('require'), max: 1, connectionTimeoutMillis: 5_000 });
    try {
      await expect(pool.query('SELECT 1')).rejects.toThrow(/self-signed|unable to verify|certificate/i);
    } finally {
      await pool.end();
    }
  });

  it('refuses a server whose certificate another CA signed', async () => {
    await expect(connect('require', join(dir, 'other-ca.crt'))).rejects.toThrow(/unable to verify|self-signed|certificate/i);
  });

  it('checks the host name with sslmode=verify-full (the certificate names db.example, not 127.0.0.1)', async () => {
    await expect(connect('verify-full', join(dir, 'ca.crt'))).rejects.toThrow(/db\.example|altnames|host/i);
  });

  it('stops the start naming DATABASE_SSL_CA_FILE when the file is missing or not PEM', () => {
    const missing = (() => {
      try {
        pgPoolOptionsFromConfig(config('require', join(dir, 'nope.crt')));
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(missing).toBeInstanceOf(ConfigError);
    expect((missing as ConfigError).issues).toEqual([{ variable: 'DATABASE_SSL_CA_FILE', message: `cannot read ${join(dir, 'nope.crt')} (ENOENT)` }]);
    writeFileSync(join(dir, 'not-pem.crt'), 'hello');
    expect(() => pgPoolOptionsFromConfig(config('require', join(dir, 'not-pem.crt')))).toThrow(/DATABASE_SSL_CA_FILE: .*not a PEM file/);
    expect(readFileSync(join(dir, 'ca.crt'), 'utf8')).toContain('BEGIN CERTIFICATE');
  });
});
