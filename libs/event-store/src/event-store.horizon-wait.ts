import type { Pool } from 'pg';
import type { EventNotifier } from './event-store.notifier';
import { compareXid } from './event-store.safe-read';

/** Longest pause between two re-checks of a horizon held back by a long transaction. */
export const HORIZON_RECHECK_MAX_MS = 250;

/**
 * Waits while a safe read is blocked: committed events lie beyond `horizon` (the oldest
 * transaction running when the read was made), held back until that transaction ends. It may end
 * without a notification (it appended nothing), so instead of sleeping with a growing backoff the
 * wait re-checks the horizon itself, a one-row query, at about a tenth of the time waited so far
 * (1 ms at first, at most every 250 ms): a transaction that holds the horizon for a few
 * milliseconds, as almost all do, delays the reader by about that much, and one that stays open for
 * minutes costs four small queries a second. Returns when the horizon has moved past `horizon`, a
 * notification arrives (`generation` changes), `signal` aborts, or a re-check fails (the reader's
 * next read reports the failure). Reading stays below the horizon, so no event is ever skipped.
 */
export async function waitForHorizon(pool: Pool, notifier: EventNotifier, generation: number, horizon: string, signal: AbortSignal): Promise<void> {
  const started = Date.now();
  while (!signal.aborted && notifier.generation === generation) {
    const pauseMs = Math.min(HORIZON_RECHECK_MAX_MS, Math.max(1, (Date.now() - started) / 10));
    await notifier.wait(generation, pauseMs, signal);
    if (signal.aborted || notifier.generation !== generation) return;
    try {
      const result = await pool.query<[string]>({ name: 'reflux_horizon', text: 'SELECT pg_snapshot_xmin(pg_current_snapshot())::text', rowMode: 'array' });
      if (compareXid(result.rows[0][0], horizon) > 0) return;
    } catch {
      return;
    }
  }
}
