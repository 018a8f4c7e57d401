import type { Pool } from 'pg';
import type { Logger } from 'pino';

/** Where the probe reports: @reflux/observability's ComponentHealth has this shape. */
export interface LivenessReporter {
  report(name: string, kind: string, state: 'running' | 'failed', detail?: string): void;
}

export interface DatabaseLivenessOptions {
  readonly pool: Pool;
  readonly health: LivenessReporter;
  /** Component name in health and metrics. Default `database`. */
  readonly name?: string;
  /** Between probes, ms. Default 2 000. */
  readonly intervalMs?: number;
  /** A probe slower than this counts as a failure, ms. Default 3 000. */
  readonly timeoutMs?: number;
  /** Consecutive failed probes before the database counts as down. Default 2. */
  readonly failuresBeforeDown?: number;
  readonly logger?: Logger;
}

/**
 * Probes PostgreSQL with `SELECT 1` through the service's own pool and reports the component
 * `database` as `failed` after consecutive failed probes (the service then reports NOT_SERVING, so a
 * load balancer stops sending it calls it cannot serve) and `running` again at the first success.
 * Returns the function that stops probing.
 */
export function watchDatabaseLiveness(options: DatabaseLivenessOptions): () => void {
  const name = options.name ?? 'database';
  const interval = options.intervalMs ?? 2_000;
  const timeout = options.timeoutMs ?? 3_000;
  const threshold = options.failuresBeforeDown ?? 2;
  let failures = 0;
  let down = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const probe = async (): Promise<void> => {
    let error: unknown;
    let guard: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        options.pool.query('SELECT 1'),
        new Promise((_, reject) => {
          guard = setTimeout(() => reject(new Error(`no answer within ${timeout} ms`)), timeout);
        }),
      ]);
    } catch (e) {
      error = e;
    } finally {
      clearTimeout(guard);
    }
    if (stopped) return;
    if (error === undefined) {
      failures = 0;
      if (down) options.logger?.info({ component: name }, 'PostgreSQL reachable again');
      down = false;
      options.health.report(name, 'database', 'running');
    } else if (++failures >= threshold && !down) {
      down = true;
      const detail = error instanceof Error ? error.message : String(error);
      options.logger?.error({ component: name, err: error }, 'PostgreSQL unreachable: reporting NOT_SERVING until it answers');
      options.health.report(name, 'database', 'failed', detail);
    }
  };
  const loop = (): void => {
    timer = setTimeout(() => void probe().finally(() => !stopped && loop()), interval);
    timer.unref();
  };
  options.health.report(name, 'database', 'running');
  loop();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
