import { execFileSync } from 'node:child_process';
import { spawnUntilReady } from './child-process';
import { freePort } from './ports';

export interface RedisServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Whether Debian's redis-server is on the PATH (`apt-get install redis-server`). */
export function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Starts a real, non-persistent redis-server on a free loopback port. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const { process: child } = await spawnUntilReady(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
    (line) => (/Ready to accept connections/.test(line) ? true : undefined),
  );
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.stop() };
}
