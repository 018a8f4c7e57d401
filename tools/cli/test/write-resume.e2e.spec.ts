import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { createDevelopmentToken } from '@reflux/grpc';
import { demoPlantPath, loadDemoPlant } from '@reflux/plant-model';
import { createTestDatabase, freePort, spawnUntilReady, type RunningProcess } from '@reflux/testing';

const SECRET = 'e2e-secret-of-at-least-thirty-two-characters';
const root = resolve(__dirname, '..', '..', '..');
const bin = join(root, 'tools', 'cli', 'bin', 'reflux.js');

const waitFor = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs: number) => {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('reflux write across a crash of ingestion', () => {
  it('waits for ingestion killed with SIGKILL mid-import, resends the unacknowledged batches once it is back, and finishes with every row stored once', async () => {
    const db = await createTestDatabase('cli_write_resume');
    const pool = new Pool({ connectionString: db.url, max: 1 });
    const port = await freePort();
    const startIngestion = async (): Promise<RunningProcess> =>
      (
        await spawnUntilReady(
          process.execPath,
          ['-r', join(root, 'scripts/register.cjs'), join(root, 'services/ingestion/src/main.ts')],
          (line) => (line.includes('ingestion service started') ? true : undefined),
          {
            timeoutMs: 60_000,
            env: { ...process.env, SERVICE_NAME: 'ingestion', DATABASE_URL: db.url, GRPC_PORT: String(port), AUTH_JWT_SECRET: SECRET, AUTH_JWT_DEVELOPMENT: 'true', PLANT_MODEL_FILES: demoPlantPath('petrochemical'), LOG_LEVEL: 'info' },
          },
        )
      ).process;
    // 4 tags without an exception deadband, 30,000 one-second samples each, in 240 batches of 500.
    const tags = loadDemoPlant('petrochemical').tags.filter((t) => !t.exception).slice(0, 4);
    const start = Date.now() - 40_000_000;
    const rows = ['tag,time,value'];
    for (let i = 0; i < 30_000; i++) for (const t of tags) rows.push(`${t.id},${new Date(start + i * 1000).toISOString()},${(i % 97) + 0.5}`);
    const file = join(mkdtempSync(join(tmpdir(), 'reflux-write-')), 'samples.csv');
    writeFileSync(file, rows.join('\n') + '\n');
    const total = rows.length - 1;

    let ingestion = await startIngestion();
    const token = createDevelopmentToken(SECRET, ['ingest'], 'e2e-cli');
    const cli = spawn(process.execPath, [bin, 'write', '--csv', file, '--batch-size', '500', '--address', `127.0.0.1:${port}`, '--token', token, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    cli.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    cli.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => cli.on('exit', (code) => r(code)));
    const stored = async () => Number((await pool.query(`SELECT count(*) AS n FROM ingestion_samples`)).rows[0].n);
    try {
      await waitFor('the first 20,000 samples', async () => (await stored()) >= 20_000, 60_000);
      await ingestion.stop('SIGKILL');
      const atKill = await stored();
      expect(atKill).toBeLessThan(total);
      await waitFor('"waiting for ingestion"', () => stderr.includes('waiting for ingestion'), 30_000);
      ingestion = await startIngestion();
      const code = await Promise.race([exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`CLI still running:\n${stderr}`)), 120_000))]);
      expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
      const summary = JSON.parse(stdout);
      expect(summary).toMatchObject({ rows: total, acceptedCount: total, rejectedCount: 0, failedBatches: 0 });
      expect(summary.reconnects).toBeGreaterThanOrEqual(1);
      expect(stderr).toContain('ingestion is back');
      const { rows: check } = await pool.query(`SELECT count(*)::int AS n, count(DISTINCT (tag_id, time))::int AS distinct_keys, sum(revision)::int AS replaced FROM ingestion_samples`);
      expect(check[0]).toEqual({ n: total, distinct_keys: total, replaced: 0 });
    } finally {
      cli.kill('SIGKILL');
      await ingestion.stop('SIGTERM', 20_000);
      await pool.end();
      await db.drop();
    }
  }, 240_000); // two starts of ingestion and a 120,000-row import: about 50 s alone, more beside other suites
});
