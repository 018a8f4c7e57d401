import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const ECHOED = new Set(['warn', 'error', 'fatal']);

/**
 * A service run as its own Node.js process. Its JSON log goes to `logFile`; warnings and errors
 * (and any line that is not JSON, such as a crash) are echoed to the terminal with the name.
 */
export class ChildService {
  private child?: ChildProcess;
  private log?: WriteStream;
  private exited = false;

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: readonly string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
    private readonly echo: (line: string) => void,
    private readonly onUnexpectedExit: (name: string, code: number | null, signal: NodeJS.Signals | null) => void,
  ) {}

  /** Starts the process; again after a crash (its log is appended to). */
  start(): void {
    if (this.stopping) return;
    this.exited = false;
    this.log?.end();
    this.log = createWriteStream(this.logFile, { flags: 'a' });
    // Own process group: Ctrl-C in the terminal reaches the launcher only, which stops the
    // simulator, then the services (draining), then PostgreSQL, in that order.
    const child = spawn(this.command, [...this.args], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => this.handleLine(line));
    }
    child.on('exit', (code, signal) => {
      this.exited = true;
      if (!this.stopping) this.onUnexpectedExit(this.name, code, signal);
    });
  }

  private stopping = false;

  /** True once `stop` was called: a pending restart must not start it again. */
  get isStopping(): boolean {
    return this.stopping;
  }

  /** Last resort when the launcher itself exits abnormally: no orphaned services. */
  kill(): void {
    if (this.child && !this.exited) this.child.kill('SIGTERM');
  }

  isAlive(): boolean {
    return this.child !== undefined && !this.exited;
  }

  /** SIGTERM (graceful drain), then SIGKILL after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child && !this.exited) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
    await new Promise<void>((resolve) => (this.log ? this.log.end(resolve) : resolve()));
  }

  private handleLine(line: string): void {
    this.log?.write(line + '\n');
    let parsed: { level?: number | string; msg?: string; err?: { message?: string } } | undefined;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    // pino writes numeric levels by default; Reflux's logger writes their names.
    const level = typeof parsed?.level === 'number' ? LEVELS[parsed.level] : parsed?.level;
    if (!parsed || typeof level !== 'string') {
      if (line.trim()) this.echo(`[${this.name}] ${line}`);
      return;
    }
    if (ECHOED.has(level)) {
      const detail = parsed.err?.message ? `: ${parsed.err.message}` : '';
      this.echo(`[${this.name}] ${level.toUpperCase()} ${parsed.msg ?? ''}${detail}`);
    }
  }
}
