import type { ChildService } from './child-service';
import { decideRestart, DEFAULT_RESTART_POLICY, type RestartPolicy } from './restart-policy';

/**
 * Restarts crashed children with backoff, each with one clear line, and gives up (calls `onGiveUp`,
 * which stops the stack) when one crashes `maxCrashes` times inside the policy's window.
 */
export class Supervisor {
  private readonly crashes = new Map<string, number[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly children = new Map<string, ChildService>();

  constructor(
    private readonly say: (line: string) => void,
    private readonly onGiveUp: (name: string) => void,
    private readonly logOf: (name: string) => string,
    private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Registers a child; pass `onExit` as its unexpected-exit callback. */
  watch(child: ChildService): void {
    this.children.set(child.name, child);
  }

  readonly onExit = (name: string, code: number | null, signal: NodeJS.Signals | null): void => {
    const child = this.children.get(name);
    if (!child || child.isStopping) return;
    const now = this.clock();
    const earlier = this.crashes.get(name) ?? [];
    const decision = decideRestart(earlier, now, this.policy);
    this.crashes.set(name, [...earlier.filter((t) => now - t < this.policy.windowMs), now]);
    const how = signal ? `signal ${signal}` : `code ${code}`;
    const window = `${Math.round(this.policy.windowMs / 60_000)} min`;
    if (!decision.restart) {
      this.say(`[${name}] crashed ${decision.crashesInWindow} times within ${window} (last: ${how}); giving up and stopping Reflux. See ${this.logOf(name)}`);
      this.onGiveUp(name);
      return;
    }
    this.say(
      `[${name}] exited unexpectedly (${how}); restarting in ${(decision.delayMs / 1000).toFixed(1)} s (crash ${decision.crashesInWindow}; ${this.policy.maxCrashes} within ${window} stop Reflux). See ${this.logOf(name)}`,
    );
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (child.isStopping) return;
      child.start();
      this.say(`[${name}] restarted`);
    }, decision.delayMs);
    this.timers.add(timer);
  };

  /** Cancels pending restarts (on shutdown). */
  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
