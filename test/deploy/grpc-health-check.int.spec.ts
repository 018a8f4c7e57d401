import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { freePort } from '@reflux/testing';
import { ROOT } from './deploy-fixtures';

const execFileAsync = promisify(execFile);

// A minimal grpc.health.v1.Health server with hand-encoded messages, so the check script is tested
// against the wire format rather than against itself.
async function healthServer(status: number): Promise<{ port: number; requests: string[]; stop(): Promise<void> }> {
  const requests: string[] = [];
  const server = new grpc.Server();
  server.addService(
    {
      Check: {
        path: '/grpc.health.v1.Health/Check',
        requestStream: false,
        responseStream: false,
        requestSerialize: (v: Buffer) => v,
        requestDeserialize: (b: Buffer) => b,
        responseSerialize: (v: Buffer) => v,
        responseDeserialize: (b: Buffer) => b,
      },
    },
    {
      Check: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        requests.push(call.request.length > 2 ? call.request.subarray(2).toString('utf8') : '');
        callback(null, Buffer.from([0x08, status]));
      },
    },
  );
  const port = await freePort();
  await new Promise<void>((resolve, reject) => server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
  return { port, requests, stop: () => new Promise((r) => server.tryShutdown(() => r())) };
}

const check = (...args: string[]) =>
  execFileAsync(process.execPath, ['deploy/grpc-health-check.cjs', ...args], { cwd: ROOT, timeout: 20_000 }).then(
    ({ stdout }) => ({ code: 0, out: stdout.trim() }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: `${e.stdout}${e.stderr}`.trim() }),
  );

describe('deploy/grpc-health-check.cjs (compose health check)', () => {
  it('exits 0 for SERVING and asks for the named service', async () => {
    const server = await healthServer(1);
    try {
      expect(await check(String(server.port))).toEqual({ code: 0, out: 'SERVING' });
      expect(await check(String(server.port), 'reflux.ingestion.v1.IngestionService')).toEqual({ code: 0, out: 'SERVING' });
      expect(server.requests).toEqual(['', 'reflux.ingestion.v1.IngestionService']);
    } finally {
      await server.stop();
    }
  });

  it('exits 1 for NOT_SERVING', async () => {
    const server = await healthServer(2);
    try {
      expect(await check(String(server.port))).toEqual({ code: 1, out: 'NOT_SERVING' });
    } finally {
      await server.stop();
    }
  });

  it('exits 1 within its deadline when nothing listens', async () => {
    const port = await freePort();
    const started = Date.now();
    const result = await check(String(port), '', '1000');
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/health check failed/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('exits 2 with usage on a bad port', async () => {
    expect((await check('abc')).code).toBe(2);
  });
});
