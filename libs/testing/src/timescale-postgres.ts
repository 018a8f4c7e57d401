import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { spawnUntilReady } from './child-process';
import { freePort } from './ports';
import type { PostgresServer } from './postgres';

/**
 * Opt-in (REFLUX_TEST_TIMESCALE=1): the test servers use a cluster of Debian's PostgreSQL server with
 * TimescaleDB preloaded instead of the embedded PostgreSQL, and the ingestion suites use the
 * TimescaleDB storage path. `../shared/timescaledb/build.sh` builds the extension for that server.
 */
export function timescaleRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['REFLUX_TEST_TIMESCALE'] === '1' || env['REFLUX_TEST_TIMESCALE'] === 'true';
}

/** The ingestion storage mode the suites run: TimescaleDB in the TimescaleDB test mode, else native partitioning. */
export function testStorageMode(env: NodeJS.ProcessEnv = process.env): 'timescaledb' | 'native' {
  return timescaleRequested(env) ? 'timescaledb' : 'native';
}

/** Directory of the PostgreSQL server binaries (REFLUX_TEST_PG_BINDIR, default Debian's PostgreSQL 15). */
export function postgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['REFLUX_TEST_PG_BINDIR'] ?? '/usr/lib/postgresql/15/bin';
}

/** Why a TimescaleDB cluster cannot be started here, or undefined when it can. */
export function timescaleUnavailableReason(binDir = postgresBinDir()): string | undefined {
  for (const tool of ['initdb', 'postgres']) {
    if (!existsSync(join(binDir, tool))) return `${join(binDir, tool)} not found (apt-get install postgresql-15, or set REFLUX_TEST_PG_BINDIR)`;
  }
  const lib = join(binDir, '..', 'lib', 'timescaledb.so');
  if (!existsSync(lib)) return `${lib} not found: build the extension with ../shared/timescaledb/build.sh (see its README)`;
  return undefined;
}

/** uid and gid of the `postgres` account: PostgreSQL refuses to run as root. */
function postgresAccount(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error('running as root, but there is no `postgres` account to run the TimescaleDB test cluster as');
  }
}

/**
 * Starts a throw-away cluster of the Debian PostgreSQL server with TimescaleDB preloaded: initdb in
 * a temporary directory, a free loopback port, no durability unless `durable` (fsync off: test data
 * only), the embedded server's WAL settings. Rejects
 * with the reason when the binaries or the extension are missing; never falls back.
 */
export async function startTimescalePostgres(
  options: { preload?: boolean; durable?: boolean; /** Server settings added or overriding (e.g. a longer shared_preload_libraries). */ settings?: Readonly<Record<string, string>> } = {},
): Promise<PostgresServer & { version: string }> {
  const binDir = postgresBinDir();
  const missing = timescaleUnavailableReason(binDir);
  if (missing) throw new Error(`REFLUX_TEST_TIMESCALE=1 but TimescaleDB cannot be started: ${missing}`);
  const account = postgresAccount();
  const parent = mkdtempSync(join(tmpdir(), 'reflux-tsdb-'));
  if (account) chownSync(parent, account.uid, account.gid);
  const dataDir = join(parent, 'data');
  const asPostgres = account ? { uid: account.uid, gid: account.gid } : {};
  try {
    execFileSync(join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'], {
      stdio: 'pipe',
      ...asPostgres,
    });
  } catch (error) {
    rmSync(parent, { recursive: true, force: true });
    const e = error as { stderr?: Buffer; message: string };
    throw new Error(`REFLUX_TEST_TIMESCALE=1 but initdb failed: ${e.stderr?.toString() || e.message}`);
  }
  const port = await freePort();
  const settings = {
    port: String(port),
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    // `preload: false` gives a server with the extension installed but not loaded (tests of detection).
    shared_preload_libraries: options.preload === false ? '' : 'timescaledb',
    'timescaledb.telemetry_level': 'off',
    // One TimescaleDB scheduler per database with the extension: every test file makes its own.
    'timescaledb.max_background_workers': '16',
    max_worker_processes: '32',
    max_connections: '300',
    shared_buffers: '256MB',
    // Tests: no durability. `durable` (benchmarks) keeps PostgreSQL's defaults, as the embedded server does.
    ...(options.durable ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
    max_wal_size: '4GB',
    min_wal_size: '1GB',
    wal_buffers: '64MB',
    checkpoint_timeout: '15min',
    ...options.settings,
  };
  const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  let server;
  try {
    server = await spawnUntilReady(join(binDir, 'postgres'), args, (line) => (/ready to accept connections/.test(line) ? true : undefined), {
      timeoutMs: 60_000,
      ...asPostgres,
    });
  } catch (error) {
    rmSync(parent, { recursive: true, force: true });
    throw new Error(`REFLUX_TEST_TIMESCALE=1 but the PostgreSQL server did not start: ${(error as Error).message}`);
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    await server.process.stop('SIGINT', 30_000);
    rmSync(parent, { recursive: true, force: true });
  };
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ default_version: string }>(`SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb'`);
    if (!rows[0]) throw new Error(`the server at ${binDir} does not offer the timescaledb extension`);
    return { url, version: rows[0].default_version, stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
