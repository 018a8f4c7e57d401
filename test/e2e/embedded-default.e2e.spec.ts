/**
 * The README run command, as a user runs it: `npm start` (the launcher) brings up PostgreSQL, the
 * services and the simulator; the simulator's data is visible through the query API; Ctrl-C stops
 * everything; a second start reuses the data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadProtoPackage, type refluxIngestionV1 as v1 } from '@reflux/proto';
import { freePort } from '@reflux/testing';

const root = resolve(__dirname, '..', '..');

interface Launched {
  child: ChildProcess;
  output: () => string;
  token: string;
}

async function launch(env: NodeJS.ProcessEnv): Promise<Launched> {
  const child = spawn(process.execPath, ['-r', join(root, 'scripts', 'register.cjs'), join(root, 'tools', 'launcher', 'src', 'main.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const token = await new Promise<string>((resolveToken, reject) => {
    const timer = setInterval(() => {
      const m = /export REFLUX_TOKEN=(\S+)/.exec(output);
      if (m) {
        clearInterval(timer);
        resolveToken(m[1]!);
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`launcher exited (${code}) before it was ready:\n${output}`));
    });
  });
  return { child, output: () => output, token };
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolveExit) => {
    child.once('exit', (code) => resolveExit(code));
    child.kill('SIGINT');
  });
}

function ingestion(address: string) {
  const loaded = grpc.loadPackageDefinition(loadProtoPackage('reflux/ingestion/v1/ingestion.proto')) as unknown as {
    reflux: { ingestion: { v1: { IngestionService: new (a: string, c: grpc.ChannelCredentials) => grpc.Client & Record<string, (...args: unknown[]) => unknown> } } };
  };
  return new loaded.reflux.ingestion.v1.IngestionService(address, grpc.credentials.createInsecure());
}

function call<Res>(client: grpc.Client & Record<string, (...args: unknown[]) => unknown>, method: string, request: unknown, token: string): Promise<Res> {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return new Promise((resolveCall, reject) =>
    client[method]!(request, metadata, { deadline: Date.now() + 10_000 }, (e: grpc.ServiceError | null, r: Res) => (e ? reject(e) : resolveCall(r))),
  );
}

describe('npm start (embedded default)', () => {
  const home = mkdtempSync(join(tmpdir(), 'reflux-home-'));
  let env: NodeJS.ProcessEnv;
  let address: string;

  beforeAll(async () => {
    const [pg, ing, bal] = await Promise.all([freePort(), freePort(), freePort()]);
    address = `127.0.0.1:${ing}`;
    env = { REFLUX_HOME: home, REFLUX_PG_PORT: String(pg), REFLUX_INGESTION_PORT: String(ing), REFLUX_BALANCING_PORT: String(bal), LOG_LEVEL: 'warn' };
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('serves the simulator data through the query API, stops cleanly on Ctrl-C, and reuses the data on the next start', async () => {
    const first = await launch(env);
    try {
      expect(first.output()).toContain('new cluster');
      expect(first.output()).toMatch(/ingestion\s+grpc:\/\/127\.0\.0\.1:\d+\s+SERVING/);
      const client = ingestion(address);
      const tags = await call<v1.ListTagsResponse>(client, 'listTags', { plantId: '', pageSize: 1000, pageToken: '' }, first.token);
      expect(tags.tags.length).toBeGreaterThan(150);
      const tagIds = tags.tags.map((t) => t.id);
      let latest: v1.GetLatestResponse = { samples: [] };
      for (let i = 0; i < 60 && latest.samples.length < tagIds.length / 2; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        latest = await call<v1.GetLatestResponse>(client, 'getLatest', { tagIds }, first.token);
      }
      expect(latest.samples.length).toBeGreaterThan(tagIds.length / 2);
      const unauthenticated = await call(client, 'getLatest', { tagIds }, 'not-a-token').catch((e: grpc.ServiceError) => e.code);
      expect(unauthenticated).toBe(grpc.status.UNAUTHENTICATED);
      client.close();
    } finally {
      expect(await stop(first.child)).toBe(0);
    }
    expect(first.output()).toContain('stopped.');

    const second = await launch(env);
    try {
      expect(second.output()).toContain('existing data reused');
      const client = ingestion(address);
      const tags = await call<v1.ListTagsResponse>(client, 'listTags', { plantId: '', pageSize: 10, pageToken: '' }, second.token);
      expect(tags.tags.length).toBeGreaterThan(0);
      client.close();
    } finally {
      expect(await stop(second.child)).toBe(0);
    }
  }, 300_000);
});
