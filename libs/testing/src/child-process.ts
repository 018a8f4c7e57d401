import { spawn, type ChildProcess } from 'node:child_process';

export interface RunningProcess {
  readonly child: ChildProcess;
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
}

/**
 * Spawns a long-running helper and waits until `ready` recognises a line it printed (stdout or
 * stderr). Rejects with the process's output when it exits first or `timeoutMs` passes.
 */
export function spawnUntilReady<T>(
  command: string,
  args: readonly string[],
  ready: (line: string) => T | undefined,
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; stdin?: 'pipe' | 'ignore'; detached?: boolean; uid?: number; gid?: number } = {},
): Promise<{ process: RunningProcess; value: T }> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      // Own process group: a terminal's Ctrl-C reaches only the owner, which stops it in order.
      detached: options.detached ?? false,
      uid: options.uid,
      gid: options.gid,
    });
    let output = '';
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`${command} not ready after ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      if (settled) return;
      for (const line of text.split('\n')) {
        const value = ready(line);
        if (value !== undefined) {
          settled = true;
          clearTimeout(timer);
          resolve({ process: wrap(child), value });
          return;
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', (e) => fail(new Error(`${command} could not start: ${e.message}`)));
    child.on('exit', (code, signal) => fail(new Error(`${command} exited early (${code ?? signal}):\n${output}`)));
  });
}

function wrap(child: ChildProcess): RunningProcess {
  return {
    child,
    stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000) {
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill(signal);
      });
    },
  };
}
