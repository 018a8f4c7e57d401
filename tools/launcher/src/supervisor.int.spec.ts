import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildService } from './child-service';
import { Supervisor } from './supervisor';

const dir = mkdtempSync(join(tmpdir(), 'reflux-launcher-'));
const policy = { initialDelayMs: 100, maxDelayMs: 400, maxCrashes: 3, windowMs: 60_000 };

const waitFor = async (what: string, check: () => boolean, timeoutMs = 20_000) => {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the launcher supervising services as processes', () => {
  it('restarts a service killed with SIGKILL, with a line naming the signal and the delay, and keeps the rest running', async () => {
    const lines: string[] = [];
    let gaveUp = false;
    const supervisor = new Supervisor((l) => lines.push(l), () => (gaveUp = true), (n) => join(dir, `${n}.log`), policy);
    const child = new ChildService('ingestion', process.execPath, ['-e', 'console.log("up " + process.pid); setInterval(() => {}, 1000)'], process.env, join(dir, 'ingestion.log'), (l) => lines.push(l), supervisor.onExit);
    supervisor.watch(child);
    child.start();
    const log = () => {
      try {
        return readFileSync(join(dir, 'ingestion.log'), 'utf8');
      } catch {
        return '';
      }
    };
    try {
      await waitFor('the first start', () => /up \d+/.test(log()));
      const firstPid = Number(/up (\d+)/.exec(log())![1]);
      process.kill(firstPid, 'SIGKILL');
      await waitFor('the restart', () => lines.includes('[ingestion] restarted') && (log().match(/up \d+/g) ?? []).length === 2);
      expect(lines.find((l) => l.includes('exited unexpectedly'))).toMatch(/^\[ingestion\] exited unexpectedly \(signal SIGKILL\); restarting in 0\.1 s \(crash 1; 3 within 1 min stop Reflux\)\. See .*ingestion\.log$/);
      expect(child.isAlive()).toBe(true);
      expect(gaveUp).toBe(false);
    } finally {
      supervisor.stop();
      await child.stop(5_000);
    }
  });

  it('gives up on a crash loop and says so, instead of restarting forever', async () => {
    const lines: string[] = [];
    const gaveUp: string[] = [];
    const supervisor = new Supervisor((l) => lines.push(l), (n) => gaveUp.push(n), (n) => join(dir, `${n}.log`), policy);
    const child = new ChildService('balancing', process.execPath, ['-e', 'process.exit(3)'], process.env, join(dir, 'balancing.log'), (l) => lines.push(l), supervisor.onExit);
    supervisor.watch(child);
    child.start();
    try {
      await waitFor('giving up', () => gaveUp.length > 0);
      expect(gaveUp).toEqual(['balancing']);
      expect(lines.filter((l) => l.includes('exited unexpectedly (code 3)'))).toHaveLength(2);
      expect(lines.filter((l) => l === '[balancing] restarted')).toHaveLength(2);
      expect(lines.at(-1)).toMatch(/^\[balancing\] crashed 3 times within 1 min \(last: code 3\); giving up and stopping Reflux\./);
    } finally {
      supervisor.stop();
      await child.stop(5_000);
    }
  });
});
