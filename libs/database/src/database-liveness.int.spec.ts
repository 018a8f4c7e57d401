import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@reflux/testing';
import { Pool } from 'pg';
import { watchDatabaseLiveness } from './database-liveness';

jest.setTimeout(240_000);

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('watchDatabaseLiveness', () => {
  it('reports the database failed while PostgreSQL is stopped and running again after it restarts', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'reflux-liveness-'));
    chmodSync(parent, 0o755);
    const dataDir = join(parent, 'data');
    let server = await startEmbeddedPostgres({ dataDir, persistent: true });
    const port = Number(new URL(server.url).port);
    const pool = new Pool({ connectionString: server.url, max: 2, connectionTimeoutMillis: 1_000 });
    pool.on('error', () => undefined);
    const states: string[] = [];
    const stop = watchDatabaseLiveness({
      pool,
      health: { report: (_name, _kind, state) => void (states.at(-1) === state || states.push(state)) },
      intervalMs: 100,
      timeoutMs: 1_000,
    });
    try {
      await until(() => states.includes('running'), 5_000, 'running');
      await server.stop();
      await until(() => states.includes('failed'), 15_000, 'failed');
      server = await startEmbeddedPostgres({ dataDir, persistent: true, port });
      await until(() => states.at(-1) === 'running', 20_000, 'running again');
      expect(states).toEqual(['running', 'failed', 'running']);
    } finally {
      stop();
      await pool.end();
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
