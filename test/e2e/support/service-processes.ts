import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { credentials, loadPackageDefinition, Metadata, type CallOptions, type ChannelCredentials, type Client, type ClientOptions, type ServiceError } from '@grpc/grpc-js';
import { loadProtoPackage } from '@reflux/proto';
import { spawnUntilReady, type RunningProcess } from '@reflux/testing';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** A service entry point (`services/<name>/src/main.ts`) as its own Node process, the way containers run it. */
export function startServiceProcess(entry: string, env: NodeJS.ProcessEnv, readyLine: string, timeoutMs = 120_000): Promise<RunningProcess & { output(): string }> {
  let output = '';
  const ready = (line: string) => {
    output += `${line}\n`;
    return line.includes(readyLine) ? true : undefined;
  };
  return spawnUntilReady(process.execPath, ['-r', join(REPO_ROOT, 'scripts/register.cjs'), join(REPO_ROOT, entry)], ready, {
    timeoutMs,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
  }).then(({ process: running }) => {
    running.child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    running.child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    return { ...running, output: () => output };
  });
}

/** Runs a service entry point to its exit; resolves with its exit code and everything it printed. */
export function runToExit(entry: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', join(REPO_ROOT, 'scripts/register.cjs'), join(REPO_ROOT, entry)], { env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} still running after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

type Unary = (request: unknown, metadata: Metadata, options: CallOptions, cb: (e: ServiceError | null, r: unknown) => void) => void;

/** A dynamic client of `reflux.<pkg>.v1.<Service>` from the same .proto files the services load. */
export function serviceClient(protoPath: string, serviceName: string, address: string, creds: ChannelCredentials = credentials.createInsecure(), options?: ClientOptions): Client & Record<string, Unary> {
  const loaded = loadPackageDefinition(loadProtoPackage(protoPath)) as Record<string, unknown>;
  const ctor = serviceName.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], loaded) as new (a: string, c: ChannelCredentials, o?: ClientOptions) => Client & Record<string, Unary>;
  return new ctor(address, creds, options);
}

/** Promise form of a unary call with a bearer token and a deadline. */
export function call<T>(client: Client & Record<string, Unary>, method: string, request: unknown, token: string, timeoutMs = 10_000): Promise<T> {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return new Promise((resolve, reject) => client[method]!.call(client, request, metadata, { deadline: Date.now() + timeoutMs }, (e, r) => (e ? reject(e) : resolve(r as T))));
}
