import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { InvalidArgumentError, type FieldIssue } from './event-store.errors';
import type { SubscriptionHealth } from './event-store.subscription-monitor';
import { categoryPattern } from './event-store.validation';

/**
 * Retention for transport streams (the transactional outbox `outbox-<service>-`, the PostgreSQL
 * bus's `integration-<subject>`), which would otherwise grow `reflux_events` without limit and make
 * every catch-up scan past them. Domain streams are the source of truth and are never pruned.
 */
export interface RetentionPolicy {
  /** Stream-id prefixes to prune, e.g. `['outbox-', 'integration-']`. Never a domain category. */
  readonly categories: readonly string[];
  /**
   * Minimum age of a pruned event (by `recorded_at`), in ms. Within it a redelivered event id is
   * still recognised as a duplicate; beyond it the id is forgotten. Default 7 days.
   */
  readonly minAgeMs?: number;
  /** Events deleted per statement (short transactions). Default 10,000. */
  readonly batchSize?: number;
}

export const DEFAULT_RETENTION_MIN_AGE_MS = 7 * 24 * 3600 * 1000;

// Only events every subscription has handled: at or before the lowest stored checkpoint in
// (transaction_id, global_position) order. Without any checkpoint nothing is pruned (a relay that
// has not run yet must still find its outbox).
const PRUNE = `WITH m AS (
    SELECT transaction_id AS tid, global_position AS pos FROM reflux_subscription_checkpoints ORDER BY transaction_id, global_position LIMIT 1
  ), doomed AS (
    SELECT e.global_position FROM reflux_events e, m
    WHERE e.stream_id LIKE $1 AND e.recorded_at < now() - make_interval(secs => $2::float8 / 1000)
      AND (e.transaction_id, e.global_position) <= (m.tid, m.pos)
    LIMIT $3
  )
  DELETE FROM reflux_events WHERE global_position IN (SELECT global_position FROM doomed)`;

export function validateRetentionPolicy(policy: RetentionPolicy): void {
  const issues: FieldIssue[] = [];
  if (!Array.isArray(policy.categories) || policy.categories.length === 0 || policy.categories.some((c) => typeof c !== 'string' || c.length === 0)) {
    issues.push({ path: 'policy.categories', message: 'must be a non-empty array of stream-id prefixes' });
  }
  if (policy.minAgeMs !== undefined && (!Number.isFinite(policy.minAgeMs) || policy.minAgeMs < 0)) {
    issues.push({ path: 'policy.minAgeMs', message: 'must be a number of milliseconds >= 0' });
  }
  if (policy.batchSize !== undefined && (!Number.isSafeInteger(policy.batchSize) || policy.batchSize < 1)) {
    issues.push({ path: 'policy.batchSize', message: 'must be an integer >= 1' });
  }
  if (issues.length > 0) throw new InvalidArgumentError(issues);
}

/**
 * Deletes the events of `policy.categories` that are older than `minAgeMs` and that every
 * subscription (relay, bus consumer group, projection) has already handled, so nothing not yet
 * relayed or consumed is lost. A subscription id that is no longer used holds retention back: delete
 * its row from `reflux_subscription_checkpoints`. A subscription started later begins after the
 * pruned events, as a Kafka consumer group begins after expired segments. Returns events deleted.
 */
export async function pruneEvents(pool: Pool, policy: RetentionPolicy): Promise<number> {
  validateRetentionPolicy(policy);
  const minAgeMs = policy.minAgeMs ?? DEFAULT_RETENTION_MIN_AGE_MS;
  const batchSize = policy.batchSize ?? 10_000;
  let deleted = 0;
  for (const category of policy.categories) {
    for (;;) {
      const result = await pool.query({ text: PRUNE, values: [categoryPattern(category), minAgeMs, batchSize] });
      deleted += result.rowCount ?? 0;
      if ((result.rowCount ?? 0) < batchSize) break;
    }
  }
  return deleted;
}

export interface RetentionJob {
  stop(): Promise<void>;
}

/**
 * Runs `pruneEvents` every `intervalMs` (default 10 min; the first run at once). Reports to health
 * as component `retention` (`degraded` while it fails; it keeps trying).
 */
export function startRetention(pool: Pool, policy: RetentionPolicy, options: { intervalMs?: number; logger?: Logger; health?: SubscriptionHealth } = {}): RetentionJob {
  validateRetentionPolicy(policy);
  const intervalMs = options.intervalMs ?? 10 * 60 * 1000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const run = async (): Promise<void> => {
    try {
      const deleted = await pruneEvents(pool, policy);
      options.logger?.info({ deleted, categories: policy.categories }, 'event-store: retention pruned transport events');
      options.health?.report('retention', 'retention', 'running');
    } catch (error) {
      options.logger?.warn({ err: error }, 'event-store: retention failed; retrying at the next interval');
      options.health?.report('retention', 'retention', 'degraded', `pruning failed: ${(error as Error).message}`);
    }
    if (!stopped) timer = setTimeout(() => void (running = run()), intervalMs);
  };
  options.health?.report('retention', 'retention', 'starting');
  running = run();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      options.health?.remove('retention');
    },
  };
}
